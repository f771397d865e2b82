/// The request journal and the faults page.
enum ControlTemplates {
    static let journal = #"""
{{> head}}
<h1>Request journal</h1>
<p>What each client sent, newest first, with secrets redacted. New calls appear as they arrive.</p>
<form id="journal-filter" class="filters" method="get" action="/console/journal">
  <input type="hidden" name="org" value="{{orgId}}">
  <label for="jf-client">Client</label>
  <select id="jf-client" name="client"><option value="">any</option>{{#clients}}<option{{#selected}} selected{{/selected}}>{{name}}</option>{{/clients}}</select>
  <label for="jf-status">Status</label>
  <select id="jf-status" name="status">{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statuses}}</select>
  <button type="submit">Filter</button>
</form>
<div class="scroll">
<table id="journal" data-live-journal="{{liveURL}}" data-after="{{lastId}}">
  <thead><tr><th>#</th><th>Time</th><th>Client</th><th>Request</th><th>Status</th><th>What went wrong</th></tr></thead>
  <tbody>
{{> journalrows}}
  {{^entries}}<tr class="empty"><td colspan="6" class="muted">No requests yet: point a client at this server.</td></tr>{{/entries}}
  </tbody>
</table>
</div>
{{> foot}}
"""#

    /// Rows alone: the page's script fetches new ones as HTML, already escaped and with their hints.
    static let journalRows = #"""
{{#entries}}
  <tr data-entry-id="{{id}}" class="{{rowClass}}">
    <td>{{id}}</td><td><time>{{time}}</time></td><td class="client">{{client}}</td>
    <td><code>{{method}} {{path}}{{#query}}?{{query}}{{/query}}</code>{{#body}}<details><summary>request body</summary><pre class="code">{{body}}</pre></details>{{/body}}</td>
    <td><span class="status badge {{badge}}">{{status}}</span></td>
    <td>{{#hint}}<p class="hint-text">{{hint}}</p>{{/hint}}{{#response}}<pre class="error-body code">{{response}}</pre>{{/response}}</td>
  </tr>
{{/entries}}
"""#

    static let faults = #"""
{{> head}}
<h1>Faults and reset</h1>
<p>Stage an incident: each scenario adds a fault rule through <code>POST /__admin/faults</code>; clear it when the class has seen it.</p>
<section class="card" aria-labelledby="scen-h">
  <h2 id="scen-h">Scenarios</h2>
  <div class="scenarios">
    <form class="scenario" data-scenario="bucket-denied">
      <h3>Bucket denied</h3><p>PutObject into the bucket is refused: exports into it fail with AccessDenied.</p>
      <label for="sc-bucket">Bucket</label>
      <select id="sc-bucket" name="bucket">{{#buckets}}<option>{{name}}</option>{{/buckets}}</select>
      <button type="submit">Switch on</button>
    </form>
    <form class="scenario" data-scenario="storm-429">
      <h3>A 429 storm</h3><p>The next 20 calls to <code>/api/v2</code> are refused with 429 and Retry-After: 2.</p>
      <button type="submit">Switch on</button>
    </form>
    <form class="scenario" data-scenario="slow-writes">
      <h3>Slow writes</h3><p>Every object write of an export takes 500 ms longer.</p>
      <button type="submit">Switch on</button>
    </form>
    <form class="scenario" data-scenario="fail-recording">
      <h3>Fail recording N</h3><p>The Nth recording of each export fails: it shows in failedrecordings.</p>
      <label for="fail-recording-n">N</label><input id="fail-recording-n" name="n" type="number" min="1" value="3" required>
      <button type="submit">Switch on</button>
    </form>
  </div>
  <pre class="error-body" id="action-error" data-error hidden></pre>
</section>
<section class="card" aria-labelledby="active-h">
  <h2 id="active-h">Active faults</h2>
  <div class="scroll">
  <table id="faults">
    <thead><tr><th>Id</th><th>Kind</th><th>What it does</th><th></th></tr></thead>
    <tbody>
    {{#faults}}<tr data-fault-id="{{id}}"><td><code>{{id}}</code></td><td>{{kind}}</td><td>{{what}}</td>
      <td><button type="button" class="remove" data-fault="{{id}}" aria-label="Remove fault {{id}}">Remove</button></td></tr>{{/faults}}
    {{^faults}}<tr class="empty"><td colspan="4" class="muted">No fault is active: the sandbox behaves.</td></tr>{{/faults}}
    </tbody>
  </table>
  </div>
  {{#hasFaults}}<p><button type="button" id="clear-faults">Clear every fault</button></p>{{/hasFaults}}
</section>
<section class="card danger-zone" aria-labelledby="reset-h">
  <h2 id="reset-h">Reset the sandbox</h2>
  <p>Back to the fixtures: jobs, exported objects, holds, clock, journal and faults. Tokens of fixture clients stay valid.</p>
  <button type="button" id="reset" class="danger">Reset to the fixtures…</button>
</section>
{{> foot}}
"""#
}
