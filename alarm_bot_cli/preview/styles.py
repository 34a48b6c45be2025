"""The page's one stylesheet: Google Chat's card look, from system fonts only.

Measurements follow Chat on the web (Material 3): a white card with 12 px corners, a hairline
border and a soft shadow; header title 16 px medium, subtitle 14 px grey; labels 12 px grey above
and below 14 px text; pill-shaped buttons in Google blue. Fonts are whatever the system has, in
Chat's order of preference, with Korean faces (Noto Sans KR, Apple SD Gothic Neo, Malgun Gothic)
before the generic fallback, and no web font: the page must draw the same offline.
"""

from __future__ import annotations

__all__ = ["PAGE_WIDTH", "STYLESHEET"]

PAGE_WIDTH = 688  # CSS pixels: the picture's width (a card of about 560 px, as in Chat)

_SANS = (
    '"Google Sans Text", "Google Sans", Roboto, "Noto Sans KR", "Noto Sans CJK KR", '
    '"Apple SD Gothic Neo", "Malgun Gothic", "Segoe UI", Arial, sans-serif, '
    '"Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"'
)
_MONO = '"Roboto Mono", "Noto Sans Mono CJK KR", Menlo, Consolas, "DejaVu Sans Mono", monospace'

STYLESHEET = f"""
*{{box-sizing:border-box}}
html{{background:#f8fafd}}
body{{margin:0;font-family:{_SANS};font-size:14px;line-height:20px;color:#1f1f1f;
-webkit-font-smoothing:antialiased}}
.space{{max-width:{PAGE_WIDTH}px;margin:0 auto;padding:20px 24px}}
.thread+.thread{{margin-top:24px}}
.msg{{display:flex;gap:12px;align-items:flex-start}}
.avatar{{flex:0 0 32px;width:32px;height:32px}}
.avatar svg{{display:block}}
.msg-body{{flex:1 1 auto;min-width:0}}
.msg-meta{{display:flex;align-items:center;gap:6px;height:20px}}
.sender{{font-weight:500}}
.badge{{font-size:11px;line-height:16px;padding:0 4px;border-radius:4px;background:#e9eef6;color:#444746}}
.msg-text{{margin-top:2px;white-space:pre-line;overflow-wrap:anywhere}}
.msg-text b{{font-weight:700}}
.mention{{color:#0b57d0;background:#d3e3fd;border-radius:4px;padding:0 2px;font-weight:500}}
code,.code{{font-family:{_MONO};font-size:13px;background:#f1f3f4;border-radius:4px;padding:0 3px}}
.code-block{{font-family:{_MONO};font-size:13px;background:#f1f3f4;border-radius:8px;padding:8px 12px;
margin:4px 0;white-space:pre-wrap;overflow-wrap:anywhere}}
.empty{{color:#747775;font-style:italic}}
.replies{{margin:12px 0 0 44px;padding-left:0}}
.reply-count{{color:#0b57d0;font-weight:500;font-size:13px;margin-bottom:10px}}
.replies .msg+.msg{{margin-top:14px}}
.card{{max-width:560px;margin-top:8px;background:#fff;border:1px solid #e1e3e1;border-radius:12px;
box-shadow:0 1px 2px rgba(60,64,67,.16),0 1px 3px 1px rgba(60,64,67,.08);overflow:hidden}}
.card-header{{display:flex;align-items:center;gap:16px;padding:16px 16px 4px}}
.header-img{{width:40px;height:40px;border-radius:8px;object-fit:cover;flex:0 0 40px;background:#f1f3f4}}
.circle{{border-radius:50%}}
.card-heading{{min-width:0}}
.card-title{{font-size:16px;line-height:24px;font-weight:500;overflow-wrap:anywhere}}
.card-subtitle{{font-size:14px;line-height:20px;color:#444746;overflow-wrap:anywhere}}
.section{{padding:8px 16px}}
.section+.section{{border-top:1px solid #e1e3e1}}
.no-dividers .section+.section{{border-top:0}}
.card-header+.section{{padding-top:4px}}
.section-header{{font-size:14px;font-weight:500;color:#444746;padding:8px 0 0}}
.w{{margin:0}}
.dt{{display:flex;align-items:center;gap:16px;padding:8px 0;min-height:40px}}
.dt-icon{{flex:0 0 24px;color:#444746;display:flex}}
.dt-body{{flex:1 1 auto;min-width:0}}
.dt-top,.dt-bottom{{font-size:12px;line-height:16px;color:#444746;overflow-wrap:anywhere}}
.dt-top{{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}}
.dt-text{{white-space:pre-line;overflow-wrap:anywhere}}
.nowrap .dt-text{{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}}
.dt-end{{flex:0 0 auto;display:flex;align-items:center;color:#444746}}
.icon{{display:block;width:24px;height:24px}}
.icon-img{{width:24px;height:24px;object-fit:cover}}
.paragraph{{padding:8px 0;white-space:pre-line;overflow-wrap:anywhere}}
.clamped{{display:-webkit-box;-webkit-box-orient:vertical;overflow:hidden}}
a{{color:#0b57d0;text-decoration:none}}
.bad-link{{color:#444746;text-decoration:underline dotted}}
.buttons{{display:flex;flex-wrap:wrap;gap:8px;padding:8px 0}}
.btn{{display:inline-flex;align-items:center;gap:8px;height:36px;padding:0 16px;border-radius:18px;
font-size:14px;font-weight:500;line-height:20px;white-space:nowrap;border:1px solid transparent;
cursor:pointer;text-decoration:none}}
.btn .icon{{width:18px;height:18px}}
.filled{{background:#1a73e8;border-color:#1a73e8;color:#fff}}
.tonal{{background:#d3e3fd;border-color:#d3e3fd;color:#041e49}}
.outlined{{background:#fff;border-color:#747775;color:#1a73e8}}
.borderless{{background:transparent;color:#1a73e8;padding:0 12px}}
.icon-only{{width:36px;padding:0;justify-content:center;border-radius:50%;color:#444746;background:transparent}}
.icon-only .icon{{width:24px;height:24px}}
.disabled{{background:#e3e3e3;border-color:#e3e3e3;color:#8e918f;cursor:default}}
.divider{{border:0;border-top:1px solid #e1e3e1;margin:8px 0}}
.image{{padding:8px 0}}
.image img{{display:block;max-width:100%;border-radius:8px;background:#f1f3f4;min-height:24px;color:#444746}}
.columns{{display:flex;gap:16px;padding:4px 0}}
.column{{min-width:0;display:flex;flex-direction:column}}
.column.fill{{flex:1 1 0}}
.column.min{{flex:0 0 auto}}
.h-center{{align-items:center;text-align:center}}
.h-end{{align-items:flex-end;text-align:end}}
.v-center{{align-self:center}}
.v-top{{align-self:flex-start}}
.v-bottom{{align-self:flex-end}}
.grid{{padding:8px 0}}
.grid-title{{font-weight:500;margin-bottom:8px}}
.grid-items{{display:grid;gap:8px}}
.grid-item{{border:1px solid #e1e3e1;border-radius:8px;padding:8px;min-width:0}}
.grid-item img{{display:block;width:100%;aspect-ratio:1;object-fit:cover;border-radius:4px;
background:#f1f3f4}}
.grid-item-title{{font-weight:500;overflow-wrap:anywhere}}
.grid-item-subtitle{{font-size:12px;color:#444746;overflow-wrap:anywhere}}
.chips{{display:flex;flex-wrap:wrap;gap:8px;padding:8px 0}}
.chip{{display:inline-flex;align-items:center;gap:6px;height:32px;padding:0 12px;border:1px solid #747775;
border-radius:8px;font-weight:500}}
.chip .icon{{width:18px;height:18px}}
.switch{{display:inline-block;width:36px;height:20px;border-radius:10px;background:#e3e3e3;position:relative}}
.switch::after{{content:"";position:absolute;top:3px;left:3px;width:14px;height:14px;border-radius:50%;
background:#747775}}
.switch.on{{background:#0b57d0}}
.switch.on::after{{left:19px;background:#fff}}
.checkbox{{display:inline-block;width:18px;height:18px;border:2px solid #444746;border-radius:2px}}
.checkbox.on{{background:#0b57d0;border-color:#0b57d0}}
.not-drawn{{margin:8px 0;padding:8px 12px;border:1px dashed #747775;border-radius:8px;color:#444746;
font-size:12px}}
.more summary{{list-style:none;cursor:pointer;color:#0b57d0;font-weight:500;padding:8px 0}}
.more summary::-webkit-details-marker{{display:none}}
.more[open] summary{{display:none}}
.card-footer{{display:flex;justify-content:flex-end;gap:8px;padding:12px 16px;border-top:1px solid #e1e3e1}}
.accessory{{margin-top:8px}}
.note{{color:#747775;font-size:12px}}
"""
