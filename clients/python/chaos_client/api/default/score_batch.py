from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.appetence_batch_request import AppetenceBatchRequest
from ...models.batch_response import BatchResponse
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: AppetenceBatchRequest,
    model: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-ID"] = x_request_id

    params: dict[str, Any] = {}

    params["model"] = model

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/appetence/batch",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BatchResponse | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = BatchResponse.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = ProblemDetails.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = ProblemDetails.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ProblemDetails.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = ProblemDetails.from_dict(response.json())

        return response_422

    if response.status_code == 503:
        response_503 = ProblemDetails.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[BatchResponse | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AppetenceBatchRequest,
    model: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[BatchResponse | ProblemDetails]:
    """Appetences of a campaign list (JSON or CSV)

     All customers are valid or none is scored (422 naming the bad rows: the first 100 errors and
    `error_count`). A valid list is answered whole with a 200: a row chaos cannot score for lack of data
    (no indicators dated before its date, or indicators older than socio_eco.max_age_days) gets a
    `problem` (the no-indicators or stale-indicators problem, without status) and null `appetence`,
    `socio_eco_date` and `calibration`, the other rows are scored; `unscored` counts such rows. At most
    10000 customers (413 above). CSV: the bank's export as it is (UTF-8 or Latin-1, `;` or `,`, French
    headers, `123` = unknown age) or canonical column names (date, job_type, status, education, contact,
    result_last_campaign, has_default, has_housing_loan, has_perso_loan, age, balance, nb_contact,
    nb_day_last_contact, nb_contact_last_campaign); empty cell = unknown; the export's columns that are
    not model inputs (statut, duree_contact) are ignored and named in `X-Ignored-Columns`, other unknown
    columns are refused. Each row may carry the caller's contact `id` (JSON field, CSV column; the
    export's unnamed leading index is the id): it is echoed on its row and the row's score is recorded
    as served (`chaos served show <id>`; a row without a score is not recorded). Send `Accept: text/csv`
    for the list back as CSV, in the same order, with the `id` first and the columns appetence,
    calibration_shift, calibration_window_days, calibration_stale, problem, problem_detail (all but
    `problem` and `problem_detail` empty on a row without a score, those two empty on a scored row).

    Scope: `score`.

    Args:
        model (str | Unset):
        x_request_id (str | Unset):
        body (AppetenceBatchRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchResponse | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
        model=model,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: AppetenceBatchRequest,
    model: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> BatchResponse | ProblemDetails | None:
    """Appetences of a campaign list (JSON or CSV)

     All customers are valid or none is scored (422 naming the bad rows: the first 100 errors and
    `error_count`). A valid list is answered whole with a 200: a row chaos cannot score for lack of data
    (no indicators dated before its date, or indicators older than socio_eco.max_age_days) gets a
    `problem` (the no-indicators or stale-indicators problem, without status) and null `appetence`,
    `socio_eco_date` and `calibration`, the other rows are scored; `unscored` counts such rows. At most
    10000 customers (413 above). CSV: the bank's export as it is (UTF-8 or Latin-1, `;` or `,`, French
    headers, `123` = unknown age) or canonical column names (date, job_type, status, education, contact,
    result_last_campaign, has_default, has_housing_loan, has_perso_loan, age, balance, nb_contact,
    nb_day_last_contact, nb_contact_last_campaign); empty cell = unknown; the export's columns that are
    not model inputs (statut, duree_contact) are ignored and named in `X-Ignored-Columns`, other unknown
    columns are refused. Each row may carry the caller's contact `id` (JSON field, CSV column; the
    export's unnamed leading index is the id): it is echoed on its row and the row's score is recorded
    as served (`chaos served show <id>`; a row without a score is not recorded). Send `Accept: text/csv`
    for the list back as CSV, in the same order, with the `id` first and the columns appetence,
    calibration_shift, calibration_window_days, calibration_stale, problem, problem_detail (all but
    `problem` and `problem_detail` empty on a row without a score, those two empty on a scored row).

    Scope: `score`.

    Args:
        model (str | Unset):
        x_request_id (str | Unset):
        body (AppetenceBatchRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchResponse | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
        model=model,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AppetenceBatchRequest,
    model: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> Response[BatchResponse | ProblemDetails]:
    """Appetences of a campaign list (JSON or CSV)

     All customers are valid or none is scored (422 naming the bad rows: the first 100 errors and
    `error_count`). A valid list is answered whole with a 200: a row chaos cannot score for lack of data
    (no indicators dated before its date, or indicators older than socio_eco.max_age_days) gets a
    `problem` (the no-indicators or stale-indicators problem, without status) and null `appetence`,
    `socio_eco_date` and `calibration`, the other rows are scored; `unscored` counts such rows. At most
    10000 customers (413 above). CSV: the bank's export as it is (UTF-8 or Latin-1, `;` or `,`, French
    headers, `123` = unknown age) or canonical column names (date, job_type, status, education, contact,
    result_last_campaign, has_default, has_housing_loan, has_perso_loan, age, balance, nb_contact,
    nb_day_last_contact, nb_contact_last_campaign); empty cell = unknown; the export's columns that are
    not model inputs (statut, duree_contact) are ignored and named in `X-Ignored-Columns`, other unknown
    columns are refused. Each row may carry the caller's contact `id` (JSON field, CSV column; the
    export's unnamed leading index is the id): it is echoed on its row and the row's score is recorded
    as served (`chaos served show <id>`; a row without a score is not recorded). Send `Accept: text/csv`
    for the list back as CSV, in the same order, with the `id` first and the columns appetence,
    calibration_shift, calibration_window_days, calibration_stale, problem, problem_detail (all but
    `problem` and `problem_detail` empty on a row without a score, those two empty on a scored row).

    Scope: `score`.

    Args:
        model (str | Unset):
        x_request_id (str | Unset):
        body (AppetenceBatchRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchResponse | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
        model=model,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AppetenceBatchRequest,
    model: str | Unset = UNSET,
    x_request_id: str | Unset = UNSET,
) -> BatchResponse | ProblemDetails | None:
    """Appetences of a campaign list (JSON or CSV)

     All customers are valid or none is scored (422 naming the bad rows: the first 100 errors and
    `error_count`). A valid list is answered whole with a 200: a row chaos cannot score for lack of data
    (no indicators dated before its date, or indicators older than socio_eco.max_age_days) gets a
    `problem` (the no-indicators or stale-indicators problem, without status) and null `appetence`,
    `socio_eco_date` and `calibration`, the other rows are scored; `unscored` counts such rows. At most
    10000 customers (413 above). CSV: the bank's export as it is (UTF-8 or Latin-1, `;` or `,`, French
    headers, `123` = unknown age) or canonical column names (date, job_type, status, education, contact,
    result_last_campaign, has_default, has_housing_loan, has_perso_loan, age, balance, nb_contact,
    nb_day_last_contact, nb_contact_last_campaign); empty cell = unknown; the export's columns that are
    not model inputs (statut, duree_contact) are ignored and named in `X-Ignored-Columns`, other unknown
    columns are refused. Each row may carry the caller's contact `id` (JSON field, CSV column; the
    export's unnamed leading index is the id): it is echoed on its row and the row's score is recorded
    as served (`chaos served show <id>`; a row without a score is not recorded). Send `Accept: text/csv`
    for the list back as CSV, in the same order, with the `id` first and the columns appetence,
    calibration_shift, calibration_window_days, calibration_stale, problem, problem_detail (all but
    `problem` and `problem_detail` empty on a row without a score, those two empty on a scored row).

    Scope: `score`.

    Args:
        model (str | Unset):
        x_request_id (str | Unset):
        body (AppetenceBatchRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchResponse | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            model=model,
            x_request_id=x_request_id,
        )
    ).parsed
