from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.appetence_request_has_default_type_1 import (
    AppetenceRequestHasDefaultType1,
    check_appetence_request_has_default_type_1,
)
from ..models.appetence_request_has_housing_loan_type_1 import (
    AppetenceRequestHasHousingLoanType1,
    check_appetence_request_has_housing_loan_type_1,
)
from ..models.appetence_request_has_perso_loan_type_1 import (
    AppetenceRequestHasPersoLoanType1,
    check_appetence_request_has_perso_loan_type_1,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="AppetenceRequest")


@_attrs_define
class AppetenceRequest:
    """
    Attributes:
        has_default (AppetenceRequestHasDefaultType1 | bool):
        has_housing_loan (AppetenceRequestHasHousingLoanType1 | bool):
        balance (int):
        nb_contact (int):
        nb_day_last_contact (int):
        nb_contact_last_campaign (int):
        date (datetime.date | None | Unset):
        id (int | None | Unset):
        job_type (None | str | Unset):
        status (None | str | Unset):
        education (None | str | Unset):
        contact (None | str | Unset):
        result_last_campaign (None | str | Unset):
        has_perso_loan (AppetenceRequestHasPersoLoanType1 | bool | None | Unset):
        age (int | None | Unset):
    """

    has_default: AppetenceRequestHasDefaultType1 | bool
    has_housing_loan: AppetenceRequestHasHousingLoanType1 | bool
    balance: int
    nb_contact: int
    nb_day_last_contact: int
    nb_contact_last_campaign: int
    date: datetime.date | None | Unset = UNSET
    id: int | None | Unset = UNSET
    job_type: None | str | Unset = UNSET
    status: None | str | Unset = UNSET
    education: None | str | Unset = UNSET
    contact: None | str | Unset = UNSET
    result_last_campaign: None | str | Unset = UNSET
    has_perso_loan: AppetenceRequestHasPersoLoanType1 | bool | None | Unset = UNSET
    age: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        has_default: bool | str
        if isinstance(self.has_default, str):
            has_default = self.has_default
        else:
            has_default = self.has_default

        has_housing_loan: bool | str
        if isinstance(self.has_housing_loan, str):
            has_housing_loan = self.has_housing_loan
        else:
            has_housing_loan = self.has_housing_loan

        balance = self.balance

        nb_contact = self.nb_contact

        nb_day_last_contact = self.nb_day_last_contact

        nb_contact_last_campaign = self.nb_contact_last_campaign

        date: None | str | Unset
        if isinstance(self.date, Unset):
            date = UNSET
        elif isinstance(self.date, datetime.date):
            date = self.date.isoformat()
        else:
            date = self.date

        id: int | None | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        else:
            id = self.id

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

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "has_default": has_default,
                "has_housing_loan": has_housing_loan,
                "balance": balance,
                "nb_contact": nb_contact,
                "nb_day_last_contact": nb_day_last_contact,
                "nb_contact_last_campaign": nb_contact_last_campaign,
            }
        )
        if date is not UNSET:
            field_dict["date"] = date
        if id is not UNSET:
            field_dict["id"] = id
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
        if has_perso_loan is not UNSET:
            field_dict["has_perso_loan"] = has_perso_loan
        if age is not UNSET:
            field_dict["age"] = age

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_has_default(data: object) -> AppetenceRequestHasDefaultType1 | bool:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                has_default_type_1 = check_appetence_request_has_default_type_1(data)

                return has_default_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AppetenceRequestHasDefaultType1 | bool, data)

        has_default = _parse_has_default(d.pop("has_default"))

        def _parse_has_housing_loan(data: object) -> AppetenceRequestHasHousingLoanType1 | bool:
            try:
                if not isinstance(data, str):
                    raise TypeError()
                has_housing_loan_type_1 = check_appetence_request_has_housing_loan_type_1(data)

                return has_housing_loan_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AppetenceRequestHasHousingLoanType1 | bool, data)

        has_housing_loan = _parse_has_housing_loan(d.pop("has_housing_loan"))

        balance = d.pop("balance")

        nb_contact = d.pop("nb_contact")

        nb_day_last_contact = d.pop("nb_day_last_contact")

        nb_contact_last_campaign = d.pop("nb_contact_last_campaign")

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

        def _parse_id(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        id = _parse_id(d.pop("id", UNSET))

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

        def _parse_has_perso_loan(data: object) -> AppetenceRequestHasPersoLoanType1 | bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                has_perso_loan_type_1 = check_appetence_request_has_perso_loan_type_1(data)

                return has_perso_loan_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AppetenceRequestHasPersoLoanType1 | bool | None | Unset, data)

        has_perso_loan = _parse_has_perso_loan(d.pop("has_perso_loan", UNSET))

        def _parse_age(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        age = _parse_age(d.pop("age", UNSET))

        appetence_request = cls(
            has_default=has_default,
            has_housing_loan=has_housing_loan,
            balance=balance,
            nb_contact=nb_contact,
            nb_day_last_contact=nb_day_last_contact,
            nb_contact_last_campaign=nb_contact_last_campaign,
            date=date,
            id=id,
            job_type=job_type,
            status=status,
            education=education,
            contact=contact,
            result_last_campaign=result_last_campaign,
            has_perso_loan=has_perso_loan,
            age=age,
        )

        return appetence_request
