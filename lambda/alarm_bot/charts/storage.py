"""The chart bucket: PNGs written once under ``charts/<id>.png`` and read back by id, never listed.

Two narrow interfaces, one per user: the renderer only puts (:class:`ChartWriter`), the image route
only gets (:class:`ChartReader`), so each function's role needs one S3 action on ``charts/*``
(plus ``s3:ListBucket`` for the route, see :meth:`S3Charts.get_png`). Tests swap either for moto.
"""

from __future__ import annotations

from typing import Any, Protocol

MAX_PNG_BYTES = 2 * 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CONTENT_TYPE = "image/png"
# A chart never changes once written: a new rendering always gets a new id (alarm_bot.charts.ids).
CACHE_CONTROL = "public, max-age=31536000, immutable"
_MISSING = frozenset({"NoSuchKey", "404", "NotFound"})


class ChartStoreError(Exception):
    """S3 failed in a way that is not "no such chart"; the message holds no object data."""


class ChartWriter(Protocol):
    def put_png(self, key: str, body: bytes) -> None: ...


class ChartReader(Protocol):
    def get_png(self, key: str) -> bytes | None: ...


def is_png(body: bytes) -> bool:
    return body.startswith(PNG_SIGNATURE)


def s3_client(
    *, connect: float = 1.0, read: float = 2.0, attempts: int = 2, endpoint_url: str | None = None
) -> Any:
    """An S3 client with short timeouts: both users of the bucket have someone waiting."""
    import boto3  # noqa: PLC0415 - cold start: boto3, 130 ms; a malformed chart request never calls S3
    from botocore.config import Config  # noqa: PLC0415 - with boto3 (above)

    config = Config(
        connect_timeout=connect,
        read_timeout=read,
        retries={"total_max_attempts": attempts, "mode": "standard"},
    )
    return boto3.client("s3", config=config, endpoint_url=endpoint_url)


class S3Charts:
    """:class:`ChartWriter` and :class:`ChartReader` on one bucket."""

    def __init__(self, bucket: str, client: Any | None = None) -> None:
        self.bucket = bucket
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = s3_client()
        return self._client

    def put_png(self, key: str, body: bytes) -> None:
        from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415 - cold start: 4 ms, only once S3 is called

        try:
            self.client.put_object(
                Bucket=self.bucket, Key=key, Body=body, ContentType=CONTENT_TYPE, CacheControl=CACHE_CONTROL
            )
        except ClientError as error:
            raise ChartStoreError(f"S3 PutObject failed: {_code(error)}") from None
        except BotoCoreError as error:
            raise ChartStoreError(f"S3 PutObject failed: {type(error).__name__}") from None

    def get_png(self, key: str) -> bytes | None:
        """The object, or ``None`` when there is none.

        S3 answers a missing key with ``NoSuchKey`` only to a caller allowed ``s3:ListBucket`` on
        the bucket; to anyone else it answers ``AccessDenied``, which this treats as an error (a
        wrong policy must be loud, not look like an expired chart). The route is granted it and
        still never lists.
        """
        from botocore.exceptions import BotoCoreError, ClientError  # noqa: PLC0415 - cold start: 4 ms, only once S3 is called

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=key)
            body: bytes = response["Body"].read(MAX_PNG_BYTES + 1)
        except ClientError as error:
            if _code(error) in _MISSING:
                return None
            raise ChartStoreError(f"S3 GetObject failed: {_code(error)}") from None
        except BotoCoreError as error:
            raise ChartStoreError(f"S3 GetObject failed: {type(error).__name__}") from None
        if len(body) > MAX_PNG_BYTES:
            raise ChartStoreError("S3 object is larger than a chart can be")
        return body


def _code(error: Any) -> str:
    return str(error.response.get("Error", {}).get("Code", "unknown"))
