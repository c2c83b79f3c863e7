"""The PDF's URL fetcher: the vendored WOFF2 fonts reach WeasyPrint decoded, once per process."""

from io import BytesIO
from pathlib import Path

from fontTools.ttLib import woff2

from hæfte.write import resources

ROOT = Path(__file__).resolve().parents[1]
FONT = ROOT / "styles/fonts/source-serif-4-latin-400-normal.woff2"


def read(fetcher, path: Path) -> tuple[bytes, str]:
    response = fetcher.fetch(path.as_uri())
    try:
        return response.read(), response.content_type
    finally:
        response.close()


def test_a_woff2_font_is_decoded_once_per_process_to_the_bytes_weasyprint_would_make(monkeypatch):
    expected = BytesIO()
    woff2.decompress(BytesIO(FONT.read_bytes()), expected)  # what WeasyPrint itself does with a WOFF2
    calls = []
    decode = resources._as_truetype
    monkeypatch.setattr(resources, "_as_truetype", lambda font: calls.append(1) or decode(font))
    monkeypatch.setattr(resources, "_decoded_fonts", resources.Memo(size=4))
    for _ in range(2):  # two documents, each with its own fetcher
        font, kind = read(resources.resource_fetcher(ROOT / "styles"), FONT)
        assert (font[:4], kind) == (b"\x00\x01\x00\x00", "font/ttf")  # TrueType
        assert font == expected.getvalue()
    assert calls == [1]


def test_other_files_and_a_woff2_name_on_other_bytes_pass_unchanged(tmp_path):
    fetcher = resources.resource_fetcher(tmp_path)
    (tmp_path / "print.css").write_text("p { color: black }", encoding="utf-8")
    (tmp_path / "skrift.woff2").write_bytes(b"\x00\x01\x00\x00 en TrueType med forkert navn")
    assert read(fetcher, tmp_path / "print.css")[0] == b"p { color: black }"
    assert read(fetcher, tmp_path / "skrift.woff2")[0] == b"\x00\x01\x00\x00 en TrueType med forkert navn"
    assert fetcher.refused == []
