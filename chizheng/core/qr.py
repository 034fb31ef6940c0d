"""QR codes as inline SVG, drawn from ReportLab's encoder (no outside service, no new
package): one path of the dark modules, with the four-module quiet zone the standard asks."""

from __future__ import annotations

QUIET = 4  # modules of white border (ISO/IEC 18004)


def svg(text: str, *, size_px: int = 160, label: str = "") -> str:
    """``text`` encoded at error-correction level M as an SVG element ``size_px`` wide."""
    # imported here: ReportLab is for the PDFs and these few pages, not every request's start
    from reportlab.graphics.barcode import qrencoder

    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    n = code.getModuleCount()
    side = n + 2 * QUIET
    path = "".join(
        f"M{c + QUIET},{r + QUIET}h1v1h-1z" for r in range(n) for c in range(n) if code.isDark(r, c)
    )
    title = f"<title>{_escape(label)}</title>" if label else ""
    aria = f' aria-label="{_escape(label)}"' if label else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" '
        f'width="{size_px}" height="{size_px}" role="img" shape-rendering="crispEdges"{aria}>'
        f'{title}<rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path d="{path}" fill="#000"/></svg>'
    )


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


__all__ = ["svg"]
