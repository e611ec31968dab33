from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.appetence_request import AppetenceRequest
from ...models.appetence_response import AppetenceResponse
from ...models.problem_details import ProblemDetails
from ...models.score_explain import ScoreExplain
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: AppetenceRequest,
    model: str | Unset = UNSET,
    explain: ScoreExplain | Unset = "false",
    x_request_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_request_id, Unset):
        headers["X-Request-ID"] = x_request_id

    params: dict[str, Any] = {}

    params["model"] = model

    json_explain: str | Unset = UNSET
    if not isinstance(explain, Unset):
        json_explain = explain

    params["explain"] = json_explain

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/appetence",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AppetenceResponse | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = AppetenceResponse.from_dict(response.json())

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
) -> Response[AppetenceResponse | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AppetenceRequest,
    model: str | Unset = UNSET,
    explain: ScoreExplain | Unset = "false",
    x_request_id: str | Unset = UNSET,
) -> Response[AppetenceResponse | ProblemDetails]:
    """Appetence of one customer

     The contact `date` is optional (today); the socio-economic indicators are those of the latest
    complete month dated before that day (minus the model's publication lag); a 422 when they are older
    than socio_eco.max_age_days. The probability is calibrated to the subscription rate observed over
    the trailing days before the contact day (`calibration` says which, and `stale` when its outcomes
    are too old): appetence = sigmoid(`offset` + `slope` × (model log-odds + `shift`)). With the
    caller's contact `id`, the answer echoes it and the score is recorded as served (the contact, its
    date, the model version, the calibration, the log-odds and the appetence, with the API key's id):
    `chaos served show <id>` prints it. `?explain=true` adds every feature's contribution to the log-
    odds, largest first: `calibration_offset` + `calibration_slope` × (`intercept` + the contributions +
    `calibration_shift`) = `explanation.log_odds`.

    Scope: `score`.

    Args:
        model (str | Unset):
        explain (ScoreExplain | Unset):  Default: 'false'.
        x_request_id (str | Unset):
        body (AppetenceRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AppetenceResponse | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
        model=model,
        explain=explain,
        x_request_id=x_request_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: AppetenceRequest,
    model: str | Unset = UNSET,
    explain: ScoreExplain | Unset = "false",
    x_request_id: str | Unset = UNSET,
) -> AppetenceResponse | ProblemDetails | None:
    """Appetence of one customer

     The contact `date` is optional (today); the socio-economic indicators are those of the latest
    complete month dated before that day (minus the model's publication lag); a 422 when they are older
    than socio_eco.max_age_days. The probability is calibrated to the subscription rate observed over
    the trailing days before the contact day (`calibration` says which, and `stale` when its outcomes
    are too old): appetence = sigmoid(`offset` + `slope` × (model log-odds + `shift`)). With the
    caller's contact `id`, the answer echoes it and the score is recorded as served (the contact, its
    date, the model version, the calibration, the log-odds and the appetence, with the API key's id):
    `chaos served show <id>` prints it. `?explain=true` adds every feature's contribution to the log-
    odds, largest first: `calibration_offset` + `calibration_slope` × (`intercept` + the contributions +
    `calibration_shift`) = `explanation.log_odds`.

    Scope: `score`.

    Args:
        model (str | Unset):
        explain (ScoreExplain | Unset):  Default: 'false'.
        x_request_id (str | Unset):
        body (AppetenceRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AppetenceResponse | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
        model=model,
        explain=explain,
        x_request_id=x_request_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AppetenceRequest,
    model: str | Unset = UNSET,
    explain: ScoreExplain | Unset = "false",
    x_request_id: str | Unset = UNSET,
) -> Response[AppetenceResponse | ProblemDetails]:
    """Appetence of one customer

     The contact `date` is optional (today); the socio-economic indicators are those of the latest
    complete month dated before that day (minus the model's publication lag); a 422 when they are older
    than socio_eco.max_age_days. The probability is calibrated to the subscription rate observed over
    the trailing days before the contact day (`calibration` says which, and `stale` when its outcomes
    are too old): appetence = sigmoid(`offset` + `slope` × (model log-odds + `shift`)). With the
    caller's contact `id`, the answer echoes it and the score is recorded as served (the contact, its
    date, the model version, the calibration, the log-odds and the appetence, with the API key's id):
    `chaos served show <id>` prints it. `?explain=true` adds every feature's contribution to the log-
    odds, largest first: `calibration_offset` + `calibration_slope` × (`intercept` + the contributions +
    `calibration_shift`) = `explanation.log_odds`.

    Scope: `score`.

    Args:
        model (str | Unset):
        explain (ScoreExplain | Unset):  Default: 'false'.
        x_request_id (str | Unset):
        body (AppetenceRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AppetenceResponse | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
        model=model,
        explain=explain,
        x_request_id=x_request_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AppetenceRequest,
    model: str | Unset = UNSET,
    explain: ScoreExplain | Unset = "false",
    x_request_id: str | Unset = UNSET,
) -> AppetenceResponse | ProblemDetails | None:
    """Appetence of one customer

     The contact `date` is optional (today); the socio-economic indicators are those of the latest
    complete month dated before that day (minus the model's publication lag); a 422 when they are older
    than socio_eco.max_age_days. The probability is calibrated to the subscription rate observed over
    the trailing days before the contact day (`calibration` says which, and `stale` when its outcomes
    are too old): appetence = sigmoid(`offset` + `slope` × (model log-odds + `shift`)). With the
    caller's contact `id`, the answer echoes it and the score is recorded as served (the contact, its
    date, the model version, the calibration, the log-odds and the appetence, with the API key's id):
    `chaos served show <id>` prints it. `?explain=true` adds every feature's contribution to the log-
    odds, largest first: `calibration_offset` + `calibration_slope` × (`intercept` + the contributions +
    `calibration_shift`) = `explanation.log_odds`.

    Scope: `score`.

    Args:
        model (str | Unset):
        explain (ScoreExplain | Unset):  Default: 'false'.
        x_request_id (str | Unset):
        body (AppetenceRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AppetenceResponse | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            model=model,
            explain=explain,
            x_request_id=x_request_id,
        )
    ).parsed
