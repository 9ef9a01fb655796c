"""The interactive network (Cytoscape.js, the st-link-analysis front end), in Chinese, with a click
on a unit reported back so the page can open it.

st-link-analysis ships its front end with English words in its page (the
info panel's "No selected elements", the toolbar's tooltips).  The explorer is
Chinese throughout, so it serves that same front end from a copy whose page
says them in Chinese (made once per version, beside the system's temporary
files), and declares it as its own component; the Python side of
st-link-analysis is not used.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any, Optional

ZH = {
    ">No selected elements<": ">点击单位，打开它的页面<",
    'title="Remove Nodes"': 'title="移除"',
    'title="Expand Node"': 'title="展开"',
    'title="Refresh Layout"': 'title="重新布局"',
    'title="Download as JSON"': 'title="下载 JSON"',
    'title="Fullscreen"': 'title="全屏"',
    'title="Zoom In"': 'title="放大"',
    'title="Fit to Screen"': 'title="适应窗口"',
    'title="Recenter Veiw"': 'title="居中"',
    'title="Zoom Out"': 'title="缩小"',
    ">Streamlit Link Analysis<": ">协同网络<",
}
OPEN = "open"                  # the event a tap on a unit sends back


def chinese_frontend(source: Path, cache: Path) -> Path:
    """A copy of the front end at ``source`` whose page speaks Chinese (``ZH``), made once in ``cache``."""
    target = cache / "build"
    page = target / "index.html"
    if not page.is_file():
        tmp = Path(tempfile.mkdtemp(prefix="zhize-network-", dir=cache.parent))
        shutil.copytree(source, tmp / "build")
        text = (tmp / "build" / "index.html").read_text(encoding="utf-8")
        for en, zh in ZH.items():
            text = text.replace(en, zh)
        (tmp / "build" / "index.html").write_text(text, encoding="utf-8")
        cache.mkdir(parents=True, exist_ok=True)
        try:
            (tmp / "build").rename(target)
        except OSError:                  # another session made it first
            pass
        shutil.rmtree(tmp, ignore_errors=True)
    return target


_component = None


def component():
    """The declared component (once per process)."""
    global _component
    if _component is None:
        import st_link_analysis
        import streamlit.components.v1 as components
        from importlib.metadata import version

        source = Path(st_link_analysis.__file__).parent / "frontend" / "build"
        cache = Path(tempfile.gettempdir()) / f"zhize-network-{version('st-link-analysis')}"
        _component = components.declare_component("zhize_network", path=str(chinese_frontend(source, cache)))
    return _component


def draw(elements: dict[str, Any], styles: list[dict[str, Any]], height: int, key: str) -> Optional[tuple[str, Any]]:
    """Draw the network; (unit id, when) of the last tap on a unit, else None."""
    from st_link_analysis.component.layouts import LAYOUTS

    value = component()(elements=elements, style=styles, layout=LAYOUTS["cose"], height=f"{height}px", key=key,
                        nodeActions=[], events=[{"name": OPEN, "event_type": "tap", "selector": "node"}],
                        default=None)
    if isinstance(value, dict) and value.get("action") == OPEN:
        return (value.get("data") or {}).get("target_id"), value.get("timestamp")
    return None
