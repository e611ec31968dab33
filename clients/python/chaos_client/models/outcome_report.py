from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.outcome_report_has_default_type_1 import (
    OutcomeReportHasDefaultType1,
    check_outcome_report_has_default_type_1,
)
from ..models.outcome_report_has_housing_loan_type_1 import (
    OutcomeReportHasHousingLoanType1,
    check_outcome_report_has_housing_loan_type_1,
)
from ..models.outcome_report_has_perso_loan_type_1 import (
    OutcomeReportHasPersoLoanType1,
    check_outcome_report_has_perso_loan_type_1,
)
from ..models.outcome_report_outcome import OutcomeReportOutcome, check_outcome_report_outcome
from ..types import UNSET, Unset

T = TypeVar("T", bound="OutcomeReport")


@_attrs_define
class OutcomeReport:
    """
    Attributes:
        id (int):
        outcome (OutcomeReportOutcome):
        date (datetime.date | None | Unset):
        job_type (None | str | Unset):
        status (None | str | Unset):
        education (None | str | Unset):
        contact (None | str | Unset):
        result_last_campaign (None | str | Unset):
        has_default (bool | None | OutcomeReportHasDefaultType1 | Unset):
        has_housing_loan (bool | None | OutcomeReportHasHousingLoanType1 | Unset):
        has_perso_loan (bool | None | OutcomeReportHasPersoLoanType1 | Unset):
        age (int | None | Unset):
        balance (int | None | Unset):
        nb_contact (int | None | Unset):
        nb_day_last_contact (int | None | Unset):
        nb_contact_last_campaign (int | None | Unset):
    """

    id: int
    outcome: OutcomeReportOutcome
    date: datetime.date | None | Unset = UNSET
    job_type: None | str | Unset = UNSET
    status: None | str | Unset = UNSET
    education: None | str | Unset = UNSET
    contact: None | str | Unset = UNSET
    result_last_campaign: None | str | Unset = UNSET
    has_default: bool | None | OutcomeReportHasDefaultType1 | Unset = UNSET
    has_housing_loan: bool | None | OutcomeReportHasHousingLoanType1 | Unset = UNSET
    has_perso_loan: bool | None | OutcomeReportHasPersoLoanType1 | Unset = UNSET
    age: int | None | Unset = UNSET
    balance: int | None | Unset = UNSET
    nb_contact: int | None | Unset = UNSET
    nb_day_last_contact: int | None | Unset = UNSET
    nb_contact_last_campaign: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        outcome: str = self.outcome

        date: None | str | Unset
        if isinstance(self.date, Unset):
            date = UNSET
        elif isinstance(self.date, datetime.date):
            date = self.date.isoformat()
        else:
            date = self.date

        job_type: None | str | Unset
        if isinstance(self.job_type, Unset):
            job_type = UNSET
        else:
            job_type = self.job_type

        status: None | str | Unset
        if isinstance(self.status, Unset):
            status = UNSET
        else:
            status = self.status

        education: None | str | Unset
        if isinstance(self.education, Unset):
            education = UNSET
        else:
            education = self.education

        contact: None | str | Unset
        if isinstance(self.contact, Unset):
            contact = UNSET
        else:
            contact = self.contact

        result_last_campaign: None | str | Unset
        if isinstance(self.result_last_campaign, Unset):
            result_last_campaign = UNSET
        else:
            result_last_campaign = self.result_last_campaign

        has_default: bool | None | str | Unset
        if isinstance(self.has_default, Unset):
            has_default = UNSET
        elif isinstance(self.has_default, str):
            has_default = self.has_default
        else:
            has_default = self.has_default

        has_housing_loan: bool | None | str | Unset
        if isinstance(self.has_housing_loan, Unset):
            has_housing_loan = UNSET
        elif isinstance(self.has_housing_loan, str):
            has_housing_loan = self.has_housing_loan
        else:
            has_housing_loan = self.has_housing_loan

        has_perso_loan: bool | None | str | Unset
        if isinstance(self.has_perso_loan, Unset):
            has_perso_loan = UNSET
        elif isinstance(self.has_perso_loan, str):
            has_perso_loan = self.has_perso_loan
        else:
            has_perso_loan = self.has_perso_loan

        age: int | None | Unset
        if isinstance(self.age, Unset):
            age = UNSET
        else:
            age = self.age

        balance: int | None | Unset
        if isinstance(self.balance, Unset):
            balance = UNSET
        else:
            balance = self.balance

        nb_contact: int | None | Unset
        if isinstance(self.nb_contact, Unset):
            nb_contact = UNSET
        else:
            nb_contact = self.nb_contact

        nb_day_last_contact: int | None | Unset
        if isinstance(self.nb_day_last_contact, Unset):
            nb_day_last_contact = UNSET
        else:
            nb_day_last_contact = self.nb_day_last_contact

        nb_contact_last_campaign: int | None | Unset
        if isinstance(self.nb_contact_last_campaign, Unset):
            nb_contact_last_campaign = UNSET
        else:
            nb_contact_last_campaign = self.nb_contact_last_campaign

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "outcome": outcome,
            }
        )
        if date is not UNSET:
            field_dict["date"] = date
        if job_type is not UNSET:
            field_dict["job_type"] = job_type
        if status is not UNSET:
            field_dict["status"] = status
        if education is not UNSET:
            field_dict["education"] = education
        if contact is not UNSET:
            field_dict["contact"] = contact
        if result_last_campaign is not UNSET:
            field_dict["result_last_campaign"] = result_last_campaign
        if has_default is not UNSET:
            field_dict["has_default"] = has_default
        if has_housing_loan is not UNSET:
            field_dict["has_housing_loan"] = has_housing_loan
        if has_perso_loan is not UNSET:
            field_dict["has_perso_loan"] = has_perso_loan
        if age is not UNSET:
            field_dict["age"] = age
        if balance is not UNSET:
            field_dict["balance"] = balance
        if nb_contact is not UNSET:
            field_dict["nb_contact"] = nb_contact
        if nb_day_last_contact is not UNSET:
            field_dict["nb_day_last_contact"] = nb_day_last_contact
        if nb_contact_last_campaign is not UNSET:
            field_dict["nb_contact_last_campaign"] = nb_contact_last_campaign

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        outcome = check_outcome_report_outcome(d.pop("outcome"))

        def _parse_date(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                date_type_0 = datetime.date.fromisoformat(data)

                return date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        date = _parse_date(d.pop("date", UNSET))

        def _parse_job_type(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        job_type = _parse_job_type(d.pop("job_type", UNSET))

        def _parse_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status = _parse_status(d.pop("status", UNSET))

        def _parse_education(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        education = _parse_education(d.pop("education", UNSET))

        def _parse_contact(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        contact = _parse_contact(d.pop("contact", UNSET))

        def _parse_result_last_campaign(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        result_last_campaign = _parse_result_last_campaign(d.pop("result_last_campaign", UNSET))

        def _parse_has_default(data: object) -> bool | None | OutcomeReportHasDefaultType1 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                has_default_type_1 = check_outcome_report_has_default_type_1(data)

                return has_default_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(bool | None | OutcomeReportHasDefaultType1 | Unset, data)

        has_default = _parse_has_default(d.pop("has_default", UNSET))

        def _parse_has_housing_loan(data: object) -> bool | None | OutcomeReportHasHousingLoanType1 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                has_housing_loan_type_1 = check_outcome_report_has_housing_loan_type_1(data)

                return has_housing_loan_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(bool | None | OutcomeReportHasHousingLoanType1 | Unset, data)

        has_housing_loan = _parse_has_housing_loan(d.pop("has_housing_loan", UNSET))

        def _parse_has_perso_loan(data: object) -> bool | None | OutcomeReportHasPersoLoanType1 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                has_perso_loan_type_1 = check_outcome_report_has_perso_loan_type_1(data)

                return has_perso_loan_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(bool | None | OutcomeReportHasPersoLoanType1 | Unset, data)

        has_perso_loan = _parse_has_perso_loan(d.pop("has_perso_loan", UNSET))

        def _parse_age(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        age = _parse_age(d.pop("age", UNSET))

        def _parse_balance(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        balance = _parse_balance(d.pop("balance", UNSET))

        def _parse_nb_contact(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        nb_contact = _parse_nb_contact(d.pop("nb_contact", UNSET))

        def _parse_nb_day_last_contact(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        nb_day_last_contact = _parse_nb_day_last_contact(d.pop("nb_day_last_contact", UNSET))

        def _parse_nb_contact_last_campaign(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        nb_contact_last_campaign = _parse_nb_contact_last_campaign(d.pop("nb_contact_last_campaign", UNSET))

        outcome_report = cls(
            id=id,
            outcome=outcome,
            date=date,
            job_type=job_type,
            status=status,
            education=education,
            contact=contact,
            result_last_campaign=result_last_campaign,
            has_default=has_default,
            has_housing_loan=has_housing_loan,
            has_perso_loan=has_perso_loan,
            age=age,
            balance=balance,
            nb_contact=nb_contact,
            nb_day_last_contact=nb_day_last_contact,
            nb_contact_last_campaign=nb_contact_last_campaign,
        )

        return outcome_report
