"""PDF text layers: PDFium (pypdfium2, what zhize uses) against pdfplumber, side by side in one run.

    .venv/bin/python bench/bench_pdf.py [PATH...] [--repeat N]

PATH (text files) defaults to the shared corpus's first bulletin and the
invented sample bulletin.  Each text is typeset as a PDF the way bulletins
are printed (samples/make_samples.py: A4, WenQuanYi Micro Hei, wrapped to
the page, page numbers, tables in columns), then read back by

* ``zhize``: zhize's PDF reader (PDFium, with blank lines and cell tabs
  restored from the character boxes);
* ``pdfium``: PDFium's own page text, nothing restored;
* ``pdfplumber``: ``page.extract_text()`` (pdfminer.six's layout analysis).

It reports the time per page, the speed ratio against zhize's reader,
CJK fidelity (the share of the text's characters, whitespace removed and
NFKC, read back in order) and whether table rows keep their cells apart.
pdfplumber is not a dependency: ``pip install -e '.[bench]'`` (make bench).
"""
from __future__ import annotations

import argparse
import difflib
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "samples"))

from make_samples import pdf_from_text  # noqa: E402

from zhize.extract.readers import pdf as zhize_pdf  # noqa: E402


def clean(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def fidelity(source: str, read: str) -> float:
    """Share of the source's characters read back in order (page numbers, which the PDF adds, left out)."""
    a = clean(source)
    b = clean(re.sub(r"(?m)^— \d+ —$", "", read))
    if a == b:
        return 1.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in m.get_matching_blocks()) / max(len(a), 1)


def read_zhize(data: bytes) -> str:
    return zhize_pdf.read("bench.pdf", data).text


def read_pdfium(data: bytes) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def read_pdfplumber(data: bytes) -> str:
    import io

    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


READERS = {"zhize": read_zhize, "pdfium": read_pdfium, "pdfplumber": read_pdfplumber}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    shared = sorted((ROOT.parent / "shared" / "corpus").glob("*.txt"))
    paths = [Path(p) for p in a.paths] or [*shared[:1], ROOT / "samples" / "sample_bulletin.txt"]
    try:
        import pdfplumber  # noqa: F401
    except ImportError:
        print("pdfplumber is not installed (pip install -e '.[bench]'); measuring PDFium only")
        READERS.pop("pdfplumber")
    for path in paths:
        text = path.read_text(encoding="utf-8")
        data = pdf_from_text(text)
        pages = data.count(b"/Type /Page\n") or data.count(b"/Type /Page")
        print(f"\n{path.name}: {len(text):,} characters, {len(data) / 1024:.0f} KiB of PDF")
        times: dict[str, float] = {}
        for name, reader in READERS.items():
            runs = []
            for _ in range(a.repeat):
                t = time.perf_counter()
                out = reader(data)
                runs.append(time.perf_counter() - t)
            times[name] = statistics.median(runs)
            rows = any("\t" in line for line in out.splitlines())
            print(f"  {name:10} {times[name]:7.3f} s  {1000 * times[name] / max(pages, 1):6.1f} ms/page  "
                  f"{times[name] / times['zhize']:5.1f}x zhize's reader  fidelity {fidelity(text, out):.4f}  "
                  f"table cells {'kept apart (tabs)' if rows else 'run together (spaces)'}")


if __name__ == "__main__":
    main()
