/// The console's one stylesheet: readable at 1280×800 and on a 390-px phone, visible keyboard focus, no web fonts
/// (it must work offline in a classroom).
enum ConsoleStyle {
    static let css = #"""
:root { --bg:#f6f7f9; --card:#fff; --ink:#1d2430; --muted:#5b6575; --line:#d9dde3; --accent:#0b5cad; --ok:#1e7d3a; --bad:#b3261e; --warn:#9a5b00; }
* { box-sizing: border-box; }
body { margin:0; font:15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg);
  display:grid; grid-template-columns: 190px 1fr; grid-template-rows: auto 1fr; grid-template-areas: "top top" "nav main"; min-height:100vh; }
.top { grid-area: top; display:flex; gap:1rem; align-items:center; padding:.5rem 1rem; background:#14213d; color:#fff; flex-wrap:wrap; }
.brand { color:#fff; font-weight:700; text-decoration:none; font-size:1.05rem; } .brand span { font-weight:400; opacity:.8; }
.org-switch { margin-left:auto; display:flex; gap:.4rem; align-items:center; } .org-switch label { opacity:.85; }
.sign-out button { background:transparent; color:#fff; border-color:#fff6; }
#nav { grid-area: nav; background:#fff; border-right:1px solid var(--line); }
#nav ul { list-style:none; margin:0; padding:.5rem 0; }
#nav a { display:block; padding:.5rem 1rem; color:var(--ink); text-decoration:none; }
#nav a[aria-current="page"] { background:#e8f0fb; color:var(--accent); font-weight:600; border-left:3px solid var(--accent); }
main { grid-area: main; padding:1rem 1.5rem 3rem; min-width:0; }
h1 { font-size:1.5rem; margin:.3rem 0 1rem; } h2 { font-size:1.15rem; margin:.2rem 0 .7rem; } h3 { font-size:1rem; margin:.8rem 0 .4rem; }
a { color:var(--accent); }
.skip { position:absolute; left:-999px; } .skip:focus { left:1rem; top:.5rem; background:#fff; padding:.3rem .6rem; z-index:9; }
:focus-visible { outline:3px solid #f0b400; outline-offset:2px; }
.note { background:#fff7e6; border-left:4px solid var(--warn); padding:.45rem .7rem; border-radius:4px; max-width:60rem; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:1rem; margin:0 0 1rem; }
.scroll { overflow-x:auto; }
table { border-collapse:collapse; width:100%; background:var(--card); margin:.2rem 0 1rem; }
th, td { text-align:left; padding:.4rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; }
th { font-size:.85rem; color:var(--muted); font-weight:600; }
code, .code { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, monospace; font-size:.86rem; overflow-wrap:anywhere; }
pre.code, pre.error-body { background:#0f1623; color:#e6edf3; padding:.7rem; border-radius:6px; overflow:auto; max-height:28rem; white-space:pre-wrap; }
pre.error-body { background:#2a1215; color:#ffd7d5; }
textarea.code { width:100%; font-family: ui-monospace, monospace; }
button, .button { font:inherit; padding:.35rem .8rem; border-radius:6px; border:1px solid #9aa4b2; background:#fff; color:var(--ink); cursor:pointer; text-decoration:none; display:inline-block; }
button[type=submit], .button { background:var(--accent); color:#fff; border-color:var(--accent); }
button.danger { background:var(--bad); color:#fff; border-color:var(--bad); }
button.copy { padding:.05rem .45rem; font-size:.8rem; background:#fff; color:var(--accent); border-color:#b7c6da; }
input, select, textarea { font:inherit; padding:.3rem .45rem; border:1px solid #9aa4b2; border-radius:5px; max-width:100%; }
.grid { display:grid; grid-template-columns: 10rem minmax(0, 1fr); gap:.45rem .7rem; align-items:center; max-width:46rem; }
.two { display:grid; grid-template-columns: minmax(0,1fr) minmax(0,1fr); gap:1.5rem; }
.filters { display:flex; flex-wrap:wrap; gap:.4rem .6rem; align-items:center; margin-bottom:.8rem; }
.row { display:flex; flex-wrap:wrap; gap:.5rem; align-items:center; margin:.4rem 0; }
.badge { display:inline-block; padding:.05rem .5rem; border-radius:999px; background:#e6e9ee; font-size:.8rem; font-weight:600; }
.badge.ok, .badge.FULFILLED, .badge.ACTIVE, .badge.s2 { background:#dcf3e3; color:var(--ok); }
.badge.bad, .badge.FAILED, .badge.s4, .badge.s5 { background:#fbe1df; color:var(--bad); }
.badge.PROCESSING, .badge.PENDING, .badge.READY, .badge.warn { background:#fff1d6; color:var(--warn); }
.badge.CANCELLED, .badge.RELEASED { background:#e6e9ee; color:var(--muted); }
.badge.lock-on { background:#e3e9ff; color:#2a3f9d; }
.badge.lock-on::before { content:""; display:inline-block; width:.55rem; height:.45rem; margin-right:.3rem; border:2px solid currentColor; border-radius:2px; vertical-align:baseline; }
.folder { display:inline-block; width:1rem; height:.75rem; margin-right:.4rem; background:#f0c75e; border-radius:2px; vertical-align:-1px; }
.chips .chip, .chip { display:inline-block; background:#eef1f5; border-radius:4px; padding:0 .35rem; margin:.1rem; font-size:.78rem; }
.progress { width:9rem; height:.9rem; vertical-align:middle; }
.counts { display:block; color:var(--muted); font-size:.8rem; }
.muted, .hint { color:var(--muted); } .hint { font-size:.88rem; }
.error { color:var(--bad); font-weight:600; }
.facts { display:grid; grid-template-columns: 9rem minmax(0,1fr); gap:.25rem .8rem; } .facts dt { color:var(--muted); } .facts dd { margin:0; overflow-wrap:anywhere; }
.crumbs { margin:.2rem 0; color:var(--muted); overflow-wrap:anywhere; }
.prefixes { list-style:none; padding:0; margin:.3rem 0 .8rem; } .prefixes li { padding:.15rem 0; }
.chat { list-style:none; padding:0; max-width:46rem; display:flex; flex-direction:column; gap:.5rem; }
.bubble { max-width:80%; padding:.45rem .7rem; border-radius:12px; background:#fff; border:1px solid var(--line); }
.bubble.left { align-self:flex-start; border-bottom-left-radius:3px; }
.bubble.right { align-self:flex-end; background:#dcf8c6; border-bottom-right-radius:3px; }
.bubble .who { font-weight:600; font-size:.85rem; } .bubble .time { color:var(--muted); font-size:.78rem; }
.bubble .text { margin:.2rem 0 0; white-space:pre-wrap; overflow-wrap:anywhere; } .bubble .attachment { margin:.2rem 0 0; font-size:.88rem; }
.scenarios { display:grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap:.8rem; }
.scenario { border:1px solid var(--line); border-radius:8px; padding:.7rem; display:flex; flex-direction:column; gap:.4rem; }
.danger-zone { border-color:#e7b3af; }
tr.err { background:#fff7f6; }
.snippet { max-width:28rem; overflow:hidden; text-overflow:ellipsis; }
#toast { position:fixed; bottom:1rem; right:1rem; background:#14213d; color:#fff; padding:.5rem .9rem; border-radius:6px; opacity:0; transition:opacity .2s; pointer-events:none; }
#toast.show { opacity:1; }
dialog { border:1px solid var(--line); border-radius:10px; max-width:28rem; } dialog .actions { display:flex; gap:.5rem; justify-content:flex-end; }
.verify-ok { color:var(--ok); font-weight:700; } .verify-bad { color:var(--bad); font-weight:700; }
#verify-findings { max-height:20rem; overflow:auto; }
.sign-in-page { display:block; } .sign-in-page main { max-width:26rem; margin:4rem auto; background:#fff; padding:1.5rem; border-radius:10px; border:1px solid var(--line); }
.sign-in-page form { display:flex; flex-direction:column; gap:.5rem; }
label.inline { display:inline; }
@media (max-width: 760px) {
  body { grid-template-columns: 1fr; grid-template-rows: auto auto 1fr; grid-template-areas: "top" "nav" "main"; }
  #nav { border-right:0; border-bottom:1px solid var(--line); } #nav ul { display:flex; flex-wrap:wrap; padding:.2rem; }
  #nav a { padding:.35rem .55rem; } #nav a[aria-current="page"] { border-left:0; border-bottom:3px solid var(--accent); }
  main { padding:.8rem; } .two { grid-template-columns: 1fr; } .grid { grid-template-columns: 1fr; }
  .org-switch { margin-left:0; } .facts { grid-template-columns: 1fr; } .bubble { max-width:92%; }
}
"""#
}
