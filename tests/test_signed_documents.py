"""Printed documents carry their decision record, and can be signed (issue 25, items 3 and 4).

The HTML page and the PDF hold the record of the result they were made from (metadata, an
embedded ``decision-record.json``, a footer line with the result digest); two renders of the
same input are the same bytes. A certificate authority made here (never a real key) signs a
notice; ``verify-signature`` accepts it, and refuses it once one byte has changed.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import json
import re
from pathlib import Path

import pytest

from clusterpolicy.competition import run_competition
from clusterpolicy.input.loading import load_competition
from clusterpolicy.output import cli, operations

from _cli import cli_run

ROOT = Path(__file__).resolve().parents[1]
STAGE1 = ROOT / "examples" / "competition-2017"


@pytest.fixture(scope="module")
def report():
    return run_competition(load_competition(STAGE1), lang="kk")


def test_the_page_carries_the_record_and_one_digest_line_per_document(report):
    made = operations.make_document("notice", report)
    page = made.to_html()
    digest = report.decision_record.digest
    lines = re.findall(r'<p class="record-digest" id="result-([0-9a-f]{64})-\d+">(sha256:[0-9a-f]{64})</p>', page)
    assert len(lines) == len(made.sections) >= 1 and all(f"sha256:{a}" == b == digest for a, b in lines)
    meta = dict(re.findall(r'<meta name="([^"]+)" content="([^"]*)">', page))
    assert json.loads(html.unescape(meta["DecisionRecord"])) == report.decision_record.model_dump(mode="json")
    assert meta["ResultDigest"] == digest
    # the document's date: the one given, else the competition's last event (never today)
    assert meta["dcterms.created"] == max(e.date for e in report.events).isoformat()
    dated = operations.make_document("completeness-protocol", report, date=dt.date(2017, 7, 1)).to_html()
    assert '<meta name="dcterms.created" content="2017-07-01">' in dated
    assert "record-digest" not in made.to_markdown()


@pytest.fixture(scope="module")
def pdf(report) -> bytes:
    pytest.importorskip("weasyprint")
    return operations.make_document("notice", report).to_pdf()


@pytest.mark.slow
def test_two_renders_are_the_same_pdf_and_carry_the_record(report, pdf):
    again = operations.make_document("notice", report).to_pdf()
    assert again == pdf
    pytest.importorskip("pyhanko")
    from pyhanko.pdf_utils.reader import PdfFileReader

    from clusterpolicy.output.signing import embedded_record

    reader = PdfFileReader(io.BytesIO(pdf))
    record, problems = embedded_record(reader)
    assert problems == [] and record == report.decision_record.model_dump(mode="json")
    info = reader.trailer["/Info"]
    assert str(info["/CreationDate"]) == str(info["/ModDate"]) == "D:" + max(e.date for e in report.events).strftime("%Y%m%d")
    xmp = reader.root["/Metadata"].get_object().data  # PDF/A-3b: the XMP metadata says which part and level
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="B"' in xmp, xmp[:400]


@pytest.fixture(scope="module")
def authority(tmp_path_factory) -> Path:
    """A root CA and an official's certificate and RSA key, made for the tests."""
    pytest.importorskip("cryptography")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    folder = tmp_path_factory.mktemp("ca")
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    usage = dict(key_encipherment=False, data_encipherment=False, key_agreement=False, encipher_only=False, decipher_only=False)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "clusterpolicy test CA")])
    ca = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key()).serial_number(1)
        .not_valid_before(start).not_valid_after(start + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_cert_sign=True, crl_sign=True, **usage), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test official")])).issuer_name(ca_name)
        .public_key(key.public_key()).serial_number(2).not_valid_before(start).not_valid_after(start + dt.timedelta(days=3650))
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_cert_sign=False, crl_sign=False, **usage), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    other_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "another test CA")])
    other = (
        x509.CertificateBuilder().subject_name(other_name).issuer_name(other_name).public_key(ca_key.public_key()).serial_number(3)
        .not_valid_before(start).not_valid_after(start + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    (folder / "other-ca.pem").write_bytes(other.public_bytes(serialization.Encoding.PEM))
    (folder / "official.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "official.key").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return folder


@pytest.mark.slow
def test_a_test_made_certificate_signs_a_notice_and_one_changed_byte_is_refused(pdf, authority, tmp_path):
    pytest.importorskip("pyhanko")
    document = tmp_path / "notice.pdf"
    document.write_bytes(pdf)
    code, said = cli_run("sign", str(document), "--key", str(authority / "official.key"), "--cert", str(authority / "official.pem"))
    signed = tmp_path / "notice-signed.pdf"
    assert code == 0 and said.strip() == str(signed)
    code, said = cli_run("verify-signature", str(signed), "--trust", str(authority / "ca.pem"), "--format", "json")
    found = json.loads(said)
    assert code == 0 and found["valid"] and found["trusted"] and found["record_whole"], found
    assert found["record_digest"] == operations.check_document_signature(pdf).record_digest
    # one byte of the signed part changed
    data = bytearray(signed.read_bytes())
    position = data.index(b"stream", len(data) // 4) + 20
    data[position] ^= 0x01
    changed = tmp_path / "changed.pdf"
    changed.write_bytes(bytes(data))
    code, said = cli_run("verify-signature", str(changed), "--trust", str(authority / "ca.pem"))
    assert code == 1 and said.startswith("NOT valid")
    # unsigned, or signed by a certificate the trust roots do not know
    assert cli_run("verify-signature", str(document))[0] == 1
    code, said = cli_run("verify-signature", str(signed), "--trust", str(authority / "other-ca.pem"))
    assert code == 1 and "does not chain" in said


@pytest.mark.slow
def test_a_key_that_is_not_a_key_is_a_located_error(tmp_path, capsys):
    pytest.importorskip("pyhanko")
    document = tmp_path / "x.pdf"
    document.write_bytes(b"%PDF-1.7\n")
    bad = tmp_path / "bad.key"
    bad.write_text("not a key", "utf-8")
    assert cli.main(["sign", str(document), "--key", str(bad), "--cert", str(bad)]) == 2
    assert "Traceback" not in capsys.readouterr().err
