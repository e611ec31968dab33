from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.outcome_report_request import OutcomeReportRequest
from ...models.outcome_tally import OutcomeTally
from ...models.problem_details import ProblemDetails
from ...models.report_outcomes_replace import ReportOutcomesReplace
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: OutcomeReportRequest,
    replace: ReportOutcomesReplace | Unset = "false",
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-ID"] = x_request_id

    params: dict[str, Any] = {}

    json_replace: str | Unset = UNSET
    if not isinstance(replace, Unset):
        json_replace = replace

    params["replace"] = json_replace

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/outcomes",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OutcomeTally | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = OutcomeTally.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ProblemDetails.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = ProblemDetails.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = ProblemDetails.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ProblemDetails.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ProblemDetails.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ProblemDetails.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = ProblemDetails.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[OutcomeTally | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: OutcomeReportRequest,
    replace: ReportOutcomesReplace | Unset = "false",
    x_request_id: str | Unset = UNSET,
) -> Response[OutcomeTally | ProblemDetails]:
    """Report what became of calls (JSON or CSV)

     Each row: the contact's `id`, its `outcome` (Souscrit, Refus, Absent, Suppression, En Attente) and,
    the first time the contact is reported, the contact `date` (not in the future) and the customer's
    fields exactly as they were scored (`POST /appetence`); a contact reported before may be sent with
    its status alone. Idempotent by contact id: the same status again changes nothing, a resolved status
    replaces `En Attente`; another resolved status, `En Attente` after a resolution, or other fields are
    a 409 naming the rows, unless `?replace=true`. All rows are applied or none (422 naming the bad
    rows: the first 100 errors and `error_count`; an id twice in a request, a status alone for an
    unknown contact, or a contact never scored with its id nor imported unless
    `outcomes.unknown_contacts: accept`, is one). Each row written names the key; a key writes at most
    `outcomes.max_daily_reports_per_key` rows a UTC day. At most 10000 rows (413 above). Reports sent at
    once are each applied whole, as if alone; one kept waiting by the others' writes is a 429. CSV: the
    bank's export as it is (its leading index is the contact id, `statut` the status; `duree_contact` is
    ignored and named in `X-Ignored-Columns`) or canonical columns; a cell that looks like a spreadsheet
    formula is refused.

    Scope: `report_outcomes`.

    Args:
        replace (ReportOutcomesReplace | Unset):  Default: 'false'.
        x_request_id (str | Unset):
        body (OutcomeReportRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OutcomeTally | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
        replace=replace,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: OutcomeReportRequest,
    replace: ReportOutcomesReplace | Unset = "false",
    x_request_id: str | Unset = UNSET,
) -> OutcomeTally | ProblemDetails | None:
    """Report what became of calls (JSON or CSV)

     Each row: the contact's `id`, its `outcome` (Souscrit, Refus, Absent, Suppression, En Attente) and,
    the first time the contact is reported, the contact `date` (not in the future) and the customer's
    fields exactly as they were scored (`POST /appetence`); a contact reported before may be sent with
    its status alone. Idempotent by contact id: the same status again changes nothing, a resolved status
    replaces `En Attente`; another resolved status, `En Attente` after a resolution, or other fields are
    a 409 naming the rows, unless `?replace=true`. All rows are applied or none (422 naming the bad
    rows: the first 100 errors and `error_count`; an id twice in a request, a status alone for an
    unknown contact, or a contact never scored with its id nor imported unless
    `outcomes.unknown_contacts: accept`, is one). Each row written names the key; a key writes at most
    `outcomes.max_daily_reports_per_key` rows a UTC day. At most 10000 rows (413 above). Reports sent at
    once are each applied whole, as if alone; one kept waiting by the others' writes is a 429. CSV: the
    bank's export as it is (its leading index is the contact id, `statut` the status; `duree_contact` is
    ignored and named in `X-Ignored-Columns`) or canonical columns; a cell that looks like a spreadsheet
    formula is refused.

    Scope: `report_outcomes`.

    Args:
        replace (ReportOutcomesReplace | Unset):  Default: 'false'.
        x_request_id (str | Unset):
        body (OutcomeReportRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OutcomeTally | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
        replace=replace,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: OutcomeReportRequest,
    replace: ReportOutcomesReplace | Unset = "false",
    x_request_id: str | Unset = UNSET,
) -> Response[OutcomeTally | ProblemDetails]:
    """Report what became of calls (JSON or CSV)

     Each row: the contact's `id`, its `outcome` (Souscrit, Refus, Absent, Suppression, En Attente) and,
    the first time the contact is reported, the contact `date` (not in the future) and the customer's
    fields exactly as they were scored (`POST /appetence`); a contact reported before may be sent with
    its status alone. Idempotent by contact id: the same status again changes nothing, a resolved status
    replaces `En Attente`; another resolved status, `En Attente` after a resolution, or other fields are
    a 409 naming the rows, unless `?replace=true`. All rows are applied or none (422 naming the bad
    rows: the first 100 errors and `error_count`; an id twice in a request, a status alone for an
    unknown contact, or a contact never scored with its id nor imported unless
    `outcomes.unknown_contacts: accept`, is one). Each row written names the key; a key writes at most
    `outcomes.max_daily_reports_per_key` rows a UTC day. At most 10000 rows (413 above). Reports sent at
    once are each applied whole, as if alone; one kept waiting by the others' writes is a 429. CSV: the
    bank's export as it is (its leading index is the contact id, `statut` the status; `duree_contact` is
    ignored and named in `X-Ignored-Columns`) or canonical columns; a cell that looks like a spreadsheet
    formula is refused.

    Scope: `report_outcomes`.

    Args:
        replace (ReportOutcomesReplace | Unset):  Default: 'false'.
        x_request_id (str | Unset):
        body (OutcomeReportRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OutcomeTally | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
        replace=replace,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: OutcomeReportRequest,
    replace: ReportOutcomesReplace | Unset = "false",
    x_request_id: str | Unset = UNSET,
) -> OutcomeTally | ProblemDetails | None:
    """Report what became of calls (JSON or CSV)

     Each row: the contact's `id`, its `outcome` (Souscrit, Refus, Absent, Suppression, En Attente) and,
    the first time the contact is reported, the contact `date` (not in the future) and the customer's
    fields exactly as they were scored (`POST /appetence`); a contact reported before may be sent with
    its status alone. Idempotent by contact id: the same status again changes nothing, a resolved status
    replaces `En Attente`; another resolved status, `En Attente` after a resolution, or other fields are
    a 409 naming the rows, unless `?replace=true`. All rows are applied or none (422 naming the bad
    rows: the first 100 errors and `error_count`; an id twice in a request, a status alone for an
    unknown contact, or a contact never scored with its id nor imported unless
    `outcomes.unknown_contacts: accept`, is one). Each row written names the key; a key writes at most
    `outcomes.max_daily_reports_per_key` rows a UTC day. At most 10000 rows (413 above). Reports sent at
    once are each applied whole, as if alone; one kept waiting by the others' writes is a 429. CSV: the
    bank's export as it is (its leading index is the contact id, `statut` the status; `duree_contact` is
    ignored and named in `X-Ignored-Columns`) or canonical columns; a cell that looks like a spreadsheet
    formula is refused.

    Scope: `report_outcomes`.

    Args:
        replace (ReportOutcomesReplace | Unset):  Default: 'false'.
        x_request_id (str | Unset):
        body (OutcomeReportRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OutcomeTally | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            replace=replace,
            x_request_id=x_request_id,
        )
    ).parsed
