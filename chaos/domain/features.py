"""The appetence model's inputs: the one feature list that training, serving and the API share."""

from chaos.domain.socio_eco import INDICATORS

CATEGORICAL = (
    "job_type",
    "status",
    "education",
    "contact",
    "result_last_campaign",
)
BOOLEAN = ("has_default", "has_housing_loan", "has_perso_loan")
NUMERIC = ("age", "balance", "nb_contact", "nb_day_last_contact", "nb_contact_last_campaign")
SOCIO_ECONOMIC = INDICATORS

CUSTOMER_FEATURES = CATEGORICAL + BOOLEAN + NUMERIC
MODEL_FEATURES = CUSTOMER_FEATURES + SOCIO_ECONOMIC

EXCLUDED = {
    "duration_contact": "known only after the call: a model using it cannot score before calling",
}

TARGET = "subscription"
