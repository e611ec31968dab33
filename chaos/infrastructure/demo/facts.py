"""What the demo mimics: facts measured once on the real export, kept as constants.

Origin: computed by hand with pandas from the bank's real export (the contacts file and
socio_eco.csv, Latin-1, `;`-separated, 45,136 contacts May 2008 – Oct 2010) after trimming labels,
reading `123` ages and `???` months as unknown. Only aggregates are kept here, never a row.
Shares are of all contacts; a missing rate is the share of empty (unknown) values.
"""

REAL_ROWS = 45_136
DEFAULT_SEED = 20_081_105
"""The demo generator's seed: the same seed and day give the same rows."""

OUTCOME_SHARES = {
    "Refus": 0.4393,
    "Absent": 0.3524,
    "Souscrit": 0.1164,
    "Suppression": 0.0757,
    "En Attente": 0.0163,
}
"""`statut`; "Souscrit" is the subscription the model predicts."""

LABEL_SHARES = {
    "job_type": {
        "Col bleu": 0.2155,
        "Manager": 0.2093,
        "Technicien": 0.1681,
        "Admin": 0.1143,
        "Services": 0.0919,
        "Retraité": 0.0499,
        "Indépendant": 0.0349,
        "Entrepreuneur": 0.0329,
        "Chomeur": 0.0288,
        "Employé de ménage": 0.0275,
        "Etudiant": 0.0206,
    },
    "status": {"Marié": 0.5871, "Célibataire": 0.2761, "Divorcé": 0.1118},
    "education": {"Secondaire": 0.5132, "Tertiaire": 0.2940, "Primaire": 0.1517},
    "contact": {"Portable": 0.6473, "Fixe": 0.0643},
    "result_last_campaign": {"Echec": 0.1081, "Autre": 0.0406, "Succes": 0.0329},
}
"""Categorical labels (as the export spells them, trimmed); the rest of each row's mass is missing."""

TRUE_SHARES = {"has_default": 0.0181, "has_housing_loan": 0.5563, "has_perso_loan": 0.1556}
"""Yes/No flags: share of "Yes"; the rest is "No" or missing."""

MISSING_RATES = {
    "job_type": 0.0063,
    "status": 0.0250,
    "education": 0.0411,
    "contact": 0.2884,
    "result_last_campaign": 0.8184,
    "has_default": 0.0,
    "has_housing_loan": 0.0,
    "has_perso_loan": 0.0300,
    "age": 0.0400,
}
"""`result_last_campaign` is missing exactly when the customer was never contacted before
(then `nb_day_last_contact` is -1 and `nb_contact_last_campaign` is 0)."""

# fmt: off
QUANTILE_LEVELS = (0, 0.01, *(round(0.05 * k, 2) for k in range(1, 20)), 0.99, 1)
QUANTILES = {
    "age": (18, 23, 27, 29, 30, 32, 33, 34, 35, 36, 37, 39, 41, 42, 44, 46, 48, 51, 53, 56, 59, 71, 95),
    "balance": (
        -8019, -627, -173, 0, 0, 22, 72, 130, 198, 271, 351, 447.5,
        562, 700, 883, 1124, 1425, 1858, 2537, 3574, 5770, 13178.7, 102127,
    ),
    "nb_contact": (1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 4, 4, 5, 8, 16, 63),
    "nb_day_last_contact": (
        1, 7, 80, 91, 96, 109, 133.2, 160, 174, 181, 185, 195,
        228, 259, 274, 300, 327, 343, 351, 362, 370, 526, 854,
    ),
    "nb_contact_last_campaign": (1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6, 9, 17, 275),
    "duration_not_subscribed": (
        1, 10, 31, 54, 69, 82, 95, 108, 121, 134, 149, 163,
        180, 199, 221, 246, 278, 317, 367, 443, 586, 996.8, 4918,
    ),
    "duration_subscribed": (
        8, 84.5, 130, 160.2, 188, 217, 244, 270, 303.2, 342, 384, 427,
        480, 536, 596.8, 660, 727, 817, 921, 1062, 1293.4, 1811.3, 3881,
    ),
}
"""Quantiles at QUANTILE_LEVELS: age among known ages; the two `nb_*_last_*` among customers
contacted before; durations among calls that took place (an "Absent" call lasts 0 seconds)."""

MONTHLY_CONTACT_SHARES = (
    0.1763, 0.0994, 0.1414, 0.1155, 0.0, 0.0018, 0.0797, 0.0003, 0.0261, 0.0509, 0.0057, 0.0602,
    0.1235, 0.0142, 0.0046, 0.0171, 0.0062, 0.0097, 0.0066, 0.0045, 0.0050, 0.0078, 0.0049, 0.0047,
    0.0052, 0.0047, 0.0068, 0.0058, 0.0066, 0.0049,
)
"""Share of contacts in each of the 30 months of the export, oldest first (one month has none)."""
# fmt: on

UNKNOWN_SOCIO_MONTHS = (4, 8, 9, 20, 21)
"""Positions (in those 30 months) of the months published as `???`."""

SOCIO_ECO_STATS = {
    "employment_variation_rate": {"mean": -1.404, "std": 1.545, "autocorrelation": 0.978, "decimals": 1},
    "idx_consumer_price": {"mean": 93.371, "std": 0.720, "autocorrelation": 0.899, "decimals": 3},
    "idx_consumer_confidence": {"mean": -38.76, "std": 6.198, "autocorrelation": 0.735, "decimals": 1},
}
"""Monthly indicators over the known months: level, spread, lag-one autocorrelation, precision."""
