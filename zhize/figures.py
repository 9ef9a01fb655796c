"""Figures in the notebooks: matplotlib draws Chinese names only with a font that has the glyphs."""
from __future__ import annotations

from typing import Optional

# Debian's fonts-wqy-microhei (what `make browser` installs), then the usual CJK families
CJK_FONTS = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC",
             "SimHei", "Microsoft YaHei", "PingFang SC", "AR PL UMing CN")


def use_cjk_font() -> Optional[str]:
    """Make matplotlib draw with the first CJK font installed; its name, or None when there is none
    (labels then show boxes, and matplotlib's warnings about missing glyphs are silenced)."""
    import logging
    import warnings

    import matplotlib
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    found = next((name for name in CJK_FONTS if name in installed), None)
    if found:
        matplotlib.rcParams["font.sans-serif"] = [found, *matplotlib.rcParams["font.sans-serif"]]
        matplotlib.rcParams["font.family"] = "sans-serif"
    else:
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    matplotlib.rcParams["axes.unicode_minus"] = False
    return found
