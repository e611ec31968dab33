from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/monitoring",
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ProblemDetails | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 503:
        response_503 = ProblemDetails.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ProblemDetails | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[ProblemDetails | str]:
    """The served model's measured performance (HTML)

     A self-contained HTML page (charts inline, nothing fetched): for each model version, the figures
    `chaos monitor` recorded day by day over the last 180 days (Brier skill, calibration-in-the-large
    and slope, ROC AUC and within-day AUC, observed rate, mean prediction, contacts) and the newest
    day's values. Open without a key where `/metrics` is (the pod's internal port, a local run) unless
    `api.metrics_require_key`; through the public edge it needs one.

    Scope: `read_models`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | str]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | str | None:
    """The served model's measured performance (HTML)

     A self-contained HTML page (charts inline, nothing fetched): for each model version, the figures
    `chaos monitor` recorded day by day over the last 180 days (Brier skill, calibration-in-the-large
    and slope, ROC AUC and within-day AUC, observed rate, mean prediction, contacts) and the newest
    day's values. Open without a key where `/metrics` is (the pod's internal port, a local run) unless
    `api.metrics_require_key`; through the public edge it needs one.

    Scope: `read_models`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | str
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[ProblemDetails | str]:
    """The served model's measured performance (HTML)

     A self-contained HTML page (charts inline, nothing fetched): for each model version, the figures
    `chaos monitor` recorded day by day over the last 180 days (Brier skill, calibration-in-the-large
    and slope, ROC AUC and within-day AUC, observed rate, mean prediction, contacts) and the newest
    day's values. Open without a key where `/metrics` is (the pod's internal port, a local run) unless
    `api.metrics_require_key`; through the public edge it needs one.

    Scope: `read_models`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | str]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | str | None:
    """The served model's measured performance (HTML)

     A self-contained HTML page (charts inline, nothing fetched): for each model version, the figures
    `chaos monitor` recorded day by day over the last 180 days (Brier skill, calibration-in-the-large
    and slope, ROC AUC and within-day AUC, observed rate, mean prediction, contacts) and the newest
    day's values. Open without a key where `/metrics` is (the pod's internal port, a local run) unless
    `api.metrics_require_key`; through the public edge it needs one.

    Scope: `read_models`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | str
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
