
/// The console's hand-written script: the live parts (progress, journal, validation) and the actions, each a call
/// to one of the server's documented routes. Text from the server is only ever set with `textContent`, so nothing a
/// client sent can become markup; new journal rows arrive as HTML that the server's templates already escaped.
enum ConsoleScript {
    static let js = #"""
"use strict";
(() => {
const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";
const org = document.body.dataset.org || "";
const $ = (s, r = document) => r.querySelector(s);
const $$ = (s, r = document) => Array.from(r.querySelectorAll(s));

function toast(text) {
  const t = $("#toast"); if (!t) return;
  t.textContent = text; t.classList.add("show");
  clearTimeout(toast.timer); toast.timer = setTimeout(() => t.classList.remove("show"), 2200);
}

// Every state-changing call carries the session's CSRF token; the console's polling is marked so that it stays out of the journal.
async function api(method, url, body, extraHeaders) {
  const headers = Object.assign({ "X-CSRF-Token": csrf }, extraHeaders || {});
  let payload;
  if (body !== undefined) { headers["Content-Type"] = "application/json"; payload = typeof body === "string" ? body : JSON.stringify(body); }
  const res = await fetch(url, { method, headers, body: payload, credentials: "same-origin" });
  const text = await res.text();
  let json = null; try { json = text ? JSON.parse(text) : null; } catch (e) { json = null; }
  return { status: res.status, ok: res.ok, json, text };
}

function showError(box, result) {
  if (!box) { toast("HTTP " + result.status); return; }
  box.hidden = false;
  box.textContent = "HTTP " + result.status + "\n" + (result.json ? JSON.stringify(result.json, null, 2) : result.text);
}

function confirmDialog(text) {
  const d = $("#confirm-dialog");
  if (!d || !d.showModal) return Promise.resolve(window.confirm(text));
  $("#confirm-text").textContent = text;
  return new Promise(resolve => {
    d.addEventListener("close", () => resolve(d.returnValue === "yes"), { once: true });
    d.returnValue = ""; d.showModal(); $("#confirm-no").focus();
  });
}

async function copy(text) {
  try { await navigator.clipboard.writeText(text); }
  catch (e) {
    const ta = document.createElement("textarea"); ta.value = text; ta.setAttribute("readonly", ""); ta.style.position = "fixed"; ta.style.opacity = "0";
    document.body.appendChild(ta); ta.select(); try { document.execCommand("copy"); } catch (e2) {} ta.remove();
  }
  toast("Copied");
}

document.addEventListener("click", e => {
  const b = e.target.closest("button.copy"); if (b) { e.preventDefault(); copy(b.dataset.copy || ""); }
});
$$("select[data-autosubmit]").forEach(s => s.addEventListener("change", () => s.form.submit()));

// World: the mock clock.
function showClock(c) {
  if (!c) return;
  $("#clock-now").textContent = c.now;
  const f = $("#clock-frozen"); f.textContent = c.frozen ? "frozen" : "running"; f.className = "badge " + (c.frozen ? "warn" : "ok");
  const t = $("#clock-freeze"); t.dataset.frozen = String(c.frozen); t.textContent = c.frozen ? "Let it run" : "Freeze";
}
const clockErr = $("#clock [data-error]");
$$("button[data-advance]").forEach(b => b.addEventListener("click", async () => {
  const r = await api("POST", "/__admin/clock/advance", { seconds: Number(b.dataset.advance) });
  r.ok ? (showClock(r.json), toast("Clock advanced")) : showError(clockErr, r);
}));
$("#clock-advance")?.addEventListener("submit", async e => {
  e.preventDefault();
  const r = await api("POST", "/__admin/clock/advance", { seconds: Number(e.target.seconds.value) });
  r.ok ? (showClock(r.json), toast("Clock advanced")) : showError(clockErr, r);
});
$("#clock-freeze")?.addEventListener("click", async e => {
  const r = await api("PUT", "/__admin/clock", { frozen: e.target.dataset.frozen !== "true" });
  r.ok ? showClock(r.json) : showError(clockErr, r);
});

// Legal holds.
$("#hold-create")?.addEventListener("submit", async e => {
  e.preventDefault();
  const f = e.target, body = { orgId: org, caseId: f.caseId.value.trim(), name: f.name.value };
  if (f.description.value) body.description = f.description.value;
  const ids = f.conversationIds.value.split(/[\s,]+/).filter(Boolean); if (ids.length) body.conversationIds = ids;
  const filter = {};
  if (f.from.value && f.to.value) filter.interval = f.from.value + "T00:00:00Z/" + f.to.value + "T00:00:00Z";
  else if (f.from.value || f.to.value) filter.interval = (f.from.value || "") + "/" + (f.to.value || "");
  if (f.mediaType.value) filter.mediaTypes = [f.mediaType.value];
  if (Object.keys(filter).length) body.filter = filter;
  const r = await api("POST", "/__admin/legal-holds", body);
  if (r.ok) location.href = "/console/holds/" + encodeURIComponent(r.json.caseId) + "?org=" + encodeURIComponent(org);
  else showError($("#action-error"), r);
});
$("#hold-release")?.addEventListener("click", async e => {
  const caseId = e.target.dataset.case;
  if (!await confirmDialog("Release " + caseId + "? A released case id can never be used again.")) return;
  const r = await api("POST", "/__admin/legal-holds/" + encodeURIComponent(caseId) + "/release?orgId=" + encodeURIComponent(org));
  r.ok ? location.reload() : showError($("#action-error"), r);
});

// Live jobs: rows and the job page follow /__admin/jobs.
function paintJob(root, j) {
  const state = root.querySelector(".state, #job-status");
  if (state) { state.textContent = j.state; state.className = (state.id ? "" : "state ") + "badge " + j.state; if (state.id) state.classList.add("state"); }
  const p = root.querySelector("progress"); if (p) { p.value = j.percentProgress; p.textContent = j.percentProgress + " %"; }
  const pc = root.querySelector(".percent"); if (pc) pc.textContent = j.percentProgress + " %";
  const c = root.querySelector(".counts");
  if (c) c.textContent = j.processed + " written · " + j.skipped + " skipped · " + j.failed + " failed / " + j.totalRecordings;
}
// Swaps in a fresh copy of the page's content (server-rendered, so already escaped): no reload, focus stays put.
async function refreshMain() {
  const res = await fetch(location.href, { credentials: "same-origin" });
  if (!res.ok) return;
  const doc = new DOMParser().parseFromString(await res.text(), "text/html");
  const fresh = doc.querySelector("main");
  if (fresh) $("main").replaceChildren(...Array.from(fresh.childNodes).map(n => document.importNode(n, true)));
}
const terminal = ["FULFILLED", "FAILED", "CANCELLED"];
async function pollJobs() {
  const liveJob = $("[data-live-job]"), liveTable = $("[data-live-jobs]");
  if (!liveJob && !liveTable) return;
  const url = liveJob ? "/__admin/jobs?id=" + encodeURIComponent(liveJob.dataset.liveJob) : liveTable.dataset.liveJobs;
  try {
    const r = await api("GET", url);
    if (r.ok) {
      let unseen = false;
      for (const j of r.json.jobs) {
        if (liveJob) {
          paintJob(liveJob, j);
          // Once it ends, its manifest, timeline and failures are worth showing: fetch them into the page.
          if (!terminal.includes(liveJob.dataset.state) && terminal.includes(j.state)) await refreshMain();
        } else {
          const row = liveTable.querySelector('tr[data-job-id="' + CSS.escape(j.id) + '"]');
          row ? paintJob(row, j) : (unseen = true);
        }
      }
      if (unseen) await refreshMain();
    }
  } catch (e) { /* the server restarted or is busy: try again */ }
  setTimeout(pollJobs, 1000);
}
if ($("[data-live-jobs]") || $("[data-live-job]")) setTimeout(pollJobs, 1000);

// Verify custody.
document.addEventListener("click", async e => {
  const button = e.target.closest("#verify"); if (!button) return;
  const box = $("#verify-result"); box.textContent = "Verifying…"; delete box.dataset.outcome;
  const r = await api("POST", "/__admin/jobs/" + encodeURIComponent(button.dataset.job) + "/verify");
  box.textContent = "";
  if (!r.ok) { const pre = document.createElement("pre"); pre.className = "error-body"; box.appendChild(pre); showError(pre, r); return; }
  const v = r.json;
  box.dataset.outcome = v.intact ? "intact" : "changed";
  const head = document.createElement("p"); head.id = "verify-summary"; head.className = v.intact ? "verify-ok" : "verify-bad";
  head.textContent = (v.intact ? "✔ Intact: " : "✘ Not intact: ") + v.summary; box.appendChild(head);
  const list = document.createElement("ul"); list.id = "verify-findings";
  for (const f of v.findings) {
    const li = document.createElement("li"); li.dataset.status = f.status; li.className = f.status === "OK" ? "" : "error";
    li.textContent = f.status + "  " + f.key + (f.detail ? "  " + f.detail : ""); list.appendChild(li);
  }
  box.appendChild(list);
  if (v.findingsShown < v.objects) { const n = document.createElement("p"); n.className = "hint"; n.textContent = "Showing " + v.findingsShown + " of " + v.objects + " objects (every object that is not intact comes first)."; box.appendChild(n); }
});

// Start an export: the form writes the JSON; the server's own validator judges whatever the JSON says.
const form = $("#export-form");
if (form) {
  const editor = $("#request-editor");
  let edited = false, timer = null;
  const tokens = {};
  function build() {
    const body = { storage: { destinationType: "s3", bucketName: form.bucket.value, region: form.region.value } };
    if (form.prefix.value) body.storage.prefix = form.prefix.value;
    body.filter = { mediaTypes: form.mediaTypes.value.split(/[\s,]+/).filter(Boolean) };
    if (form.from.value && form.to.value) body.filter.interval = form.from.value + "T00:00:00Z/" + form.to.value + "T00:00:00Z";
    if (form.legalHold.checked) body.legal_hold = { enabled: true, case_id: form.caseId.value, reason: form.reason.value };
    return JSON.stringify(body, null, 2);
  }
  async function token() {
    const opt = form.client.selectedOptions[0];
    if (tokens[opt.value]) return tokens[opt.value];
    const res = await fetch("/oauth/token", { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded",
      Authorization: "Basic " + btoa(opt.value + ":" + opt.dataset.secret) }, body: "grant_type=client_credentials" });
    const j = await res.json(); tokens[opt.value] = j.access_token; return j.access_token;
  }
  function shellQuote(s) { return "'" + s.replace(/'/g, "'\\''") + "'"; }
  async function refresh() {
    const text = editor.value;
    const v = $("#validation");
    const r = await api("POST", "/__admin/exports/validate?orgId=" + encodeURIComponent(org), text);
    v.textContent = "";
    if (r.ok && r.json) {
      v.dataset.valid = String(r.json.valid);
      const p = document.createElement("p"); p.id = "validation-verdict"; p.className = r.json.valid ? "verify-ok" : "verify-bad";
      p.textContent = r.json.valid ? "✔ Valid: the API will answer 202 Accepted" : "✘ The API will answer " + r.json.status + " with this ErrorBody:";
      v.appendChild(p);
      if (!r.json.valid) { const pre = document.createElement("pre"); pre.id = "validation-error"; pre.className = "error-body"; pre.textContent = JSON.stringify(r.json.error, null, 2); v.appendChild(pre); }
    } else { v.dataset.valid = ""; showError(v.appendChild(document.createElement("pre")), r); }
    const t = await token().catch(() => "TOKEN");
    const line = "curl -sS -X POST " + location.origin + "/api/v2/recordings/exports -H " + shellQuote("Authorization: Bearer " + t) +
      " -H 'Content-Type: application/json' --data-binary " + shellQuote(text.replace(/\s*\n\s*/g, " "));
    $("#curl-line").textContent = line; $("#copy-curl").dataset.copy = line;
  }
  function schedule() { clearTimeout(timer); timer = setTimeout(refresh, 250); }
  function fromForm() { if (!edited) { editor.value = build(); } schedule(); }
  form.bucket.addEventListener("change", () => { form.region.value = form.bucket.selectedOptions[0].dataset.region; fromForm(); });
  form.client.addEventListener("change", schedule);
  form.addEventListener("input", e => { if (e.target !== form.client) fromForm(); });
  form.addEventListener("change", e => { if (e.target !== form.client && e.target !== form.bucket) fromForm(); });
  editor.addEventListener("input", () => { edited = editor.value !== build(); schedule(); });
  form.addEventListener("submit", async e => {
    e.preventDefault();
    const out = $("#submit-result"); out.textContent = "Sending…";
    const t = await token();
    const res = await fetch("/api/v2/recordings/exports", { method: "POST", headers: { Authorization: "Bearer " + t, "Content-Type": "application/json" }, body: editor.value });
    const text = await res.text(); let j = null; try { j = JSON.parse(text); } catch (x) {}
    if (res.status === 202 && j) { location.href = "/console/exports/" + encodeURIComponent(j.id) + "?org=" + encodeURIComponent(org); return; }
    out.textContent = "";
    const p = document.createElement("p"); p.className = "verify-bad"; p.textContent = "HTTP " + res.status + ": the export API refused it."; out.appendChild(p);
    const pre = document.createElement("pre"); pre.id = "submit-error"; pre.className = "error-body"; pre.textContent = j ? JSON.stringify(j, null, 2) : text; out.appendChild(pre);
  });
  editor.value = build(); refresh();
}

// The journal: new rows arrive as server-rendered HTML (escaped, with hints).
const journal = $("[data-live-journal]");
async function pollJournal() {
  try {
    const res = await fetch(journal.dataset.liveJournal + "&afterId=" + encodeURIComponent(journal.dataset.after), { credentials: "same-origin" });
    if (res.ok) {
      const last = res.headers.get("X-Last-Entry");
      const html = await res.text();
      if (html.trim()) {
        const tbody = journal.tBodies[0];
        tbody.querySelector("tr.empty")?.remove();
        const tmp = document.createElement("tbody"); tmp.innerHTML = html;
        Array.from(tmp.rows).reverse().forEach(r => tbody.insertBefore(r, tbody.firstChild));
      }
      if (last) journal.dataset.after = last;
    }
  } catch (e) {}
  setTimeout(pollJournal, 1500);
}
if (journal) setTimeout(pollJournal, 1500);

// Faults and reset.
const scenarios = {
  "bucket-denied": f => ({ kind: "export", denyPutObjectBucket: f.bucket.value }),
  "storm-429": () => ({ kind: "http", method: "*", path: "/api/v2/**", status: 429, count: 20, retryAfterSeconds: 2 }),
  "slow-writes": () => ({ kind: "export", writeLatencyMs: 500 }),
  "fail-recording": f => ({ kind: "export", failRecordingNumber: Number(f.n.value) }),
};
$$("form[data-scenario]").forEach(f => f.addEventListener("submit", async e => {
  e.preventDefault();
  const r = await api("POST", "/__admin/faults", scenarios[f.dataset.scenario](f));
  r.ok ? location.reload() : showError($("#action-error"), r);
}));
$$("button.remove[data-fault]").forEach(b => b.addEventListener("click", async () => {
  const r = await api("DELETE", "/__admin/faults/" + encodeURIComponent(b.dataset.fault));
  r.ok ? location.reload() : showError($("#action-error"), r);
}));
$("#clear-faults")?.addEventListener("click", async () => {
  const r = await api("DELETE", "/__admin/faults");
  r.ok ? location.reload() : showError($("#action-error"), r);
});
$("#reset")?.addEventListener("click", async () => {
  if (!await confirmDialog("Reset the whole sandbox to its fixtures? Every job, exported object, new hold and journal entry goes.")) return;
  const r = await api("POST", "/__admin/reset");
  if (r.ok) { toast("Reset in " + r.json.tookMs + " ms"); setTimeout(() => location.reload(), 600); } else showError($("#action-error"), r);
});

// Tenants: make one (its secrets shown once, as environment lines), reset or delete one.
$("#tenant-create")?.addEventListener("submit", async e => {
  e.preventDefault();
  const f = e.target, box = $("#tenant-error");
  box.hidden = true;
  const r = await api("POST", "/__admin/tenants", { name: f.name.value, conversations: Number(f.conversations.value || 0) });
  if (!r.ok) { showError(box, r); return; }
  const t = r.json, admin = t.clients.admin, viewer = t.clients.viewer;
  const lines = [["GENESYS_MOCK_TENANT_ID", t.id], ["GENESYS_CLOUD_CLIENT_ID", admin.clientId], ["GENESYS_CLOUD_CLIENT_SECRET", admin.clientSecret],
    ["GENESYS_CLOUD_VIEWER_CLIENT_ID", viewer.clientId], ["GENESYS_CLOUD_VIEWER_CLIENT_SECRET", viewer.clientSecret],
    ["GENESYS_CLOUD_API_HOST", location.origin], ["GENESYS_MOCK_INTEGRATION_ID", t.integrationId], ["GENESYS_MOCK_BUCKETS", t.buckets.join(",")],
    ["AWS_ACCESS_KEY_ID", t.s3.accessKeyId], ["AWS_SECRET_ACCESS_KEY", t.s3.secretAccessKey]].map(([k, v]) => k + "=" + v).join("\n");
  $("#tenant-env").textContent = lines;
  $("#tenant-copy").dataset.copy = lines;
  $("#tenant-created").hidden = false;
  toast("Tenant " + t.name + " created");
  f.reset();
  refreshTenantList();
});
// The list as the server renders it now (its templates escaped it), leaving the credentials shown above in place.
async function refreshTenantList() {
  const res = await fetch(location.href, { credentials: "same-origin" });
  const fresh = new DOMParser().parseFromString(await res.text(), "text/html").querySelector("#tenant-list");
  if (fresh && $("#tenant-list")) $("#tenant-list").replaceWith(fresh);
}
document.addEventListener("click", async e => {
  const b = e.target.closest("button.tenant-reset, button.tenant-delete"); if (!b) return;
  const reset = b.classList.contains("tenant-reset");
  const question = reset ? "Reset tenant " + b.dataset.name + "? Its jobs and exported objects go and its world is made again; its credentials stay."
                         : "Delete tenant " + b.dataset.name + "? Everything of it goes, and its credentials stop working at once.";
  if (!await confirmDialog(question)) return;
  const url = "/__admin/tenants/" + encodeURIComponent(b.dataset.tenant) + (reset ? "/reset" : "");
  const r = await api(reset ? "POST" : "DELETE", url);
  if (!r.ok) { showError($("#tenant-error"), r); return; }
  toast(reset ? "Reset in " + r.json.tookMs + " ms" : "Deleted " + b.dataset.name);
  refreshTenantList();
});
})();
"""#
}
