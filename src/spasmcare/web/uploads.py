"""Files uploaded through page forms: read whole, size-limited, always closed."""

from __future__ import annotations

from starlette.datastructures import FormData, UploadFile

from spasmcare.errors import AccountError


async def read_upload(form: FormData, name: str, limit: int, what: str) -> tuple[str, bytes]:
    """(file name, content) of the form's file field, or AccountError naming the problem."""
    upload = form.get(name)
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise AccountError(f"choose {what} to import", name)
    try:
        content = await upload.read(limit + 1)
    finally:
        await upload.close()
    if len(content) > limit:
        raise AccountError(f"the file is larger than {limit // 1_000_000} MB; split it", name, 413)
    return upload.filename, content
