"""PAdES signatures of official documents (the ``sign`` extra: pyHanko), and their check.

:func:`sign_pdf` signs a PDF the library made (``clusterpolicy report --format pdf``) with an
RSA key and its certificate: a PAdES baseline signature (``ETSI.CAdES.detached``) over the
whole file, added as an incremental update, so the document's bytes and its PDF/A metadata
stay as they were. :func:`check_signature` says whether a signed document is intact, which
certificate signed it and whether that certificate chains to the trust roots given, and
whether the decision record the document carries is whole: the record in the PDF's metadata,
the embedded ``decision-record.json`` and the digest of the footer line (the anchor WeasyPrint
writes for it) all name the same result digest, and the signature covers them all.

Keys from the national certification centre under GOST are not used here: docs/signing.md
says how such a key signs through the signing service an agency already runs, with the
record and digest this library prepares.
"""

from __future__ import annotations

import io
import json
import logging
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.errors import InputError, Location, UsageError

DIGEST_ANCHOR = "result-"
"""The named destinations of the footer lines start so: ``result-<hex>-<n>`` (:mod:`.reports`)."""


def _pyhanko() -> None:
    try:
        with warnings.catch_warnings():  # cryptography's deprecation of DSA, which pyHanko imports
            warnings.simplefilter("ignore")
            import pyhanko.sign  # type: ignore[import-not-found]  # noqa: F401
        logging.getLogger("pyhanko").setLevel(logging.CRITICAL)  # what it finds is said in the check, not as a traceback
        logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    except ImportError as exc:
        raise UsageError(f"signing needs pyHanko: pip install 'clusterpolicy[sign]' ({exc})", code="missing_extra") from None


def sign_pdf(data: bytes, key: str | Path, cert: str | Path, *, chain: list[str | Path] = (), passphrase: bytes | None = None) -> bytes:  # type: ignore[assignment]
    """``data`` (a PDF) signed with the RSA key and certificate in the files ``key`` and ``cert``
    (PEM or DER), the certificates of ``chain`` embedded beside it."""
    _pyhanko()
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.sign import fields, signers

    signer = signers.SimpleSigner.load(str(key), str(cert), ca_chain_files=[str(c) for c in chain], key_passphrase=passphrase)
    if signer is None:
        raise InputError("the key or the certificate could not be read (PEM or DER, RSA)", location=Location(str(key)), code="syntax")
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError) as exc:
        raise InputError(f"not a PDF that can be signed: {exc}", code="syntax") from None
    meta = signers.PdfSignatureMetadata(field_name="Signature", subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256")
    out = signers.sign_pdf(writer, meta, signer=signer)
    return out.getvalue()


@dataclass
class SignatureCheck:
    """What :func:`check_signature` found. ``valid``: every signature is intact, covers the
    whole file, and its certificate is trusted (when trust roots were given); and the record
    is whole."""

    signed: bool
    intact: bool = False
    covers_whole_file: bool = False
    trusted: bool | None = None
    """None: no trust roots were given, the chain was not judged."""
    signer: str | None = None
    record_digest: str | None = None
    record_whole: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.covers_whole_file and self.trusted is not False and self.record_whole

    @property
    def exit_code(self) -> int:
        return 0 if self.valid else 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "signed": self.signed,
            "intact": self.intact,
            "covers_whole_file": self.covers_whole_file,
            "trusted": self.trusted,
            "signer": self.signer,
            "record_digest": self.record_digest,
            "record_whole": self.record_whole,
            "problems": list(self.problems),
        }


def embedded_record(reader: Any) -> tuple[dict[str, Any] | None, list[str]]:
    """The decision record a PDF carries, and what disagrees: its metadata's record and result
    digest, the embedded ``decision-record.json`` and the footer lines' anchors must agree."""
    problems: list[str] = []
    info = reader.trailer["/Info"] if "/Info" in reader.trailer else {}
    texts = {str(key).lstrip("/").lower(): str(value) for key, value in dict(info).items()}
    record: dict[str, Any] | None = None
    try:
        record = json.loads(texts["decisionrecord"])
    except (KeyError, ValueError):
        problems.append("the PDF's metadata holds no decision record")
    digest = texts.get("resultdigest")
    if record is not None and record.get("digest") != digest:
        problems.append(f"the metadata's result digest {digest} is not the record's {record.get('digest')}")
    attached = None
    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
        for index in range(0, len(names), 2):
            if str(names[index]) == "decision-record.json":
                attached = json.loads(names[index + 1].get_object()["/EF"]["/F"].get_object().data)
    except (KeyError, ValueError, TypeError):
        attached = None
    if attached is None:
        problems.append("the PDF embeds no decision-record.json")
    elif attached != record:
        problems.append("the embedded decision-record.json is not the record of the metadata")
    anchors: list[str] = []
    try:
        dests = reader.root["/Names"]["/Dests"]["/Names"]
        anchors = [str(dests[index]) for index in range(0, len(dests), 2) if str(dests[index]).startswith(DIGEST_ANCHOR)]
    except (KeyError, TypeError):
        pass
    if not anchors:
        problems.append("the PDF has no result digest line")
    elif record is not None and any(a.split("-")[1] != str(record.get("digest", "")).removeprefix("sha256:") for a in anchors):
        problems.append("a footer line names another result digest than the record")
    return record, problems


def check_signature(data: bytes, *, trust: list[str | Path] = ()) -> SignatureCheck:  # type: ignore[assignment]
    """The signatures of a signed PDF, and the decision record it carries (:class:`SignatureCheck`)."""
    _pyhanko()
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InputError(f"not a PDF that can be read: {exc}", code="syntax") from None
    found = SignatureCheck(signed=bool(signatures))
    if not signatures:
        found.problems.append("the PDF carries no signature")
    roots = []
    for path in trust:
        raw = Path(path).read_bytes()
        roots.append(x509.Certificate.load(pem.unarmor(raw)[2] if pem.detect(raw) else raw))
    context = ValidationContext(trust_roots=roots, allow_fetching=False)  # no roots: the chain is not judged (trusted None)
    intact, whole, trusted = [], [], []
    for signature in signatures:
        status = validate_pdf_signature(signature, context)
        intact.append(bool(status.intact and status.valid))
        whole.append(status.coverage is not None and status.coverage.name == "ENTIRE_FILE")
        trusted.append(bool(status.trusted))
        found.signer = status.signing_cert.subject.human_friendly if status.signing_cert is not None else None
        if not (status.intact and status.valid):
            found.problems.append("a signature does not match the document: it was changed after signing")
        elif status.coverage is None or status.coverage.name != "ENTIRE_FILE":
            found.problems.append("a signature does not cover the whole document (something was added after signing)")
    found.intact, found.covers_whole_file = bool(intact) and all(intact), bool(whole) and all(whole)
    if roots:
        found.trusted = bool(trusted) and all(trusted)
        if not found.trusted and signatures:
            found.problems.append("the signer's certificate does not chain to the trust roots given")
    record, problems = embedded_record(reader)
    found.record_digest = record.get("digest") if record else None
    found.record_whole = not problems
    found.problems += problems
    return found
