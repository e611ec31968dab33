from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...types import Response


def _get_kwargs(
    version: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/models/{version}/report".format(
            version=quote(str(version), safe=""),
        ),
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

    if response.status_code == 404:
        response_404 = ProblemDetails.from_dict(response.json())

        return response_404

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
    version: str,
    *,
    client: AuthenticatedClient,
) -> Response[ProblemDetails | str]:
    """One model version's report

     A self-contained HTML page (charts inline, nothing fetched): the holdout's figures with their 95%
    intervals by resampling months and the figures of its steady months, ROC and precision-recall
    curves, reliability by decile, observed vs predicted rate by month, per-feature terms, the walk-
    forward backtest and the comparison with the champion it was trained against.

    Scope: `read_models`.

    Args:
        version (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | str]
    """

    kwargs = _get_kwargs(
        version=version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    version: str,
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | str | None:
    """One model version's report

     A self-contained HTML page (charts inline, nothing fetched): the holdout's figures with their 95%
    intervals by resampling months and the figures of its steady months, ROC and precision-recall
    curves, reliability by decile, observed vs predicted rate by month, per-feature terms, the walk-
    forward backtest and the comparison with the champion it was trained against.

    Scope: `read_models`.

    Args:
        version (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | str
    """

    return sync_detailed(
        version=version,
        client=client,
    ).parsed


async def asyncio_detailed(
    version: str,
    *,
    client: AuthenticatedClient,
) -> Response[ProblemDetails | str]:
    """One model version's report

     A self-contained HTML page (charts inline, nothing fetched): the holdout's figures with their 95%
    intervals by resampling months and the figures of its steady months, ROC and precision-recall
    curves, reliability by decile, observed vs predicted rate by month, per-feature terms, the walk-
    forward backtest and the comparison with the champion it was trained against.

    Scope: `read_models`.

    Args:
        version (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | str]
    """

    kwargs = _get_kwargs(
        version=version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    version: str,
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | str | None:
    """One model version's report

     A self-contained HTML page (charts inline, nothing fetched): the holdout's figures with their 95%
    intervals by resampling months and the figures of its steady months, ROC and precision-recall
    curves, reliability by decile, observed vs predicted rate by month, per-feature terms, the walk-
    forward backtest and the comparison with the champion it was trained against.

    Scope: `read_models`.

    Args:
        version (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | str
    """

    return (
        await asyncio_detailed(
            version=version,
            client=client,
        )
    ).parsed
