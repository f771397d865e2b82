/// The world page (orgs, clients, S3 keys, buckets, integrations, the clock) and the legal-hold pages.
enum WorldTemplates {
    static let world = #"""
{{> head}}
<h1>The sandbox world</h1>
<section class="card" id="clock" aria-labelledby="clock-h">
  <h2 id="clock-h">Mock clock</h2>
  <p>Now: <time id="clock-now">{{clock.now}}</time> · <span id="clock-frozen" class="badge {{clock.badge}}">{{clock.label}}</span></p>
  <div class="row">
    <button type="button" data-advance="60">+1 minute</button>
    <button type="button" data-advance="3600">+1 hour</button>
    <button type="button" data-advance="86400">+1 day</button>
    <button type="button" id="clock-freeze" data-frozen="{{clock.frozen}}">{{clock.toggle}}</button>
  </div>
  <form id="clock-advance" class="row">
    <label for="advance-seconds">Advance by seconds</label>
    <input id="advance-seconds" name="seconds" type="number" min="0" step="1" value="300" required>
    <button type="submit">Advance</button>
  </form>
  <p class="hint">Jobs pace by this clock, and tokens expire by it: advancing it moves running exports at once.</p>
  <pre class="error-body" data-error hidden></pre>
</section>

<section class="card" aria-labelledby="orgs-h">
  <h2 id="orgs-h">Orgs and their OAuth clients</h2>
  {{#orgs}}
  <h3>{{name}} <code class="id">{{id}}</code></h3>
  <div class="scroll">
  <table class="clients">
    <thead><tr><th>Client id</th><th>Secret</th><th>Name</th><th>Permissions</th></tr></thead>
    <tbody>
    {{#clients}}
      <tr data-client-id="{{clientId}}">
        <td><code>{{clientId}}</code> <button type="button" class="copy" data-copy="{{clientId}}" aria-label="Copy client id {{clientId}}">Copy</button></td>
        <td>{{#secret}}<code class="secret">{{secret}}</code> <button type="button" class="copy" data-copy="{{secret}}" aria-label="Copy secret of {{clientId}}">Copy</button>{{/secret}}{{^secret}}<span class="muted">set when it was added (stored hashed)</span>{{/secret}}</td>
        <td>{{name}}</td>
        <td class="chips">{{#permissions}}<span class="chip">{{.}}</span>{{/permissions}}</td>
      </tr>
    {{/clients}}
    </tbody>
  </table>
  </div>
  {{/orgs}}
  <p class="hint">A token: <code id="token-curl">{{tokenCurl}}</code> <button type="button" class="copy" data-copy="{{tokenCurl}}">Copy</button></p>
</section>

<section class="card" aria-labelledby="keys-h">
  <h2 id="keys-h">S3 endpoint and access keys</h2>
  <p>Endpoint: <code>{{s3Endpoint}}</code> <button type="button" class="copy" data-copy="{{s3Endpoint}}">Copy</button> (path-style, SigV4)</p>
  <div class="scroll">
  <table id="access-keys">
    <thead><tr><th>Access key id</th><th>Secret</th><th>Name</th></tr></thead>
    <tbody>
    {{#accessKeys}}
      <tr><td><code>{{accessKeyId}}</code> <button type="button" class="copy" data-copy="{{accessKeyId}}">Copy</button></td>
          <td><code class="secret">{{secret}}</code> <button type="button" class="copy" data-copy="{{secret}}">Copy</button></td><td>{{name}}</td></tr>
    {{/accessKeys}}
    </tbody>
  </table>
  </div>
</section>

<section class="card" aria-labelledby="buckets-h">
  <h2 id="buckets-h">Buckets</h2>
  <div class="scroll">
  <table id="world-buckets">
    <thead><tr><th>Name</th><th>Region</th><th>Object Lock</th><th>Policy</th></tr></thead>
    <tbody>
    {{#buckets}}
      <tr><td><a href="/console/buckets/{{name}}?org={{orgId}}">{{name}}</a>{{#remote}} <span class="badge">remote: {{.}}</span>{{/remote}}</td><td>{{region}}</td>
          <td>{{#lock}}<span class="badge ok">enabled</span>{{/lock}}{{^lock}}<span class="badge">off</span>{{/lock}}</td>
          <td>{{#denyPut}}<span class="badge bad">denies PutObject</span>{{/denyPut}}{{^denyPut}}allows writes{{/denyPut}}</td></tr>
    {{/buckets}}
    </tbody>
  </table>
  </div>
</section>

<section class="card" aria-labelledby="integrations-h">
  <h2 id="integrations-h">S3 bulk-actions integrations</h2>
  <div class="scroll">
  <table id="integrations">
    <thead><tr><th>Name</th><th>Id</th><th>Org</th><th>Bucket</th><th>Region</th></tr></thead>
    <tbody>
    {{#integrations}}
      <tr><td>{{name}}</td><td><code>{{id}}</code> <button type="button" class="copy" data-copy="{{id}}">Copy</button></td><td>{{orgName}}</td>
          <td>{{bucketName}}</td><td>{{region}}</td></tr>
    {{/integrations}}
    </tbody>
  </table>
  </div>
</section>
{{> foot}}
"""#

    static let holds = #"""
{{> head}}
<h1>Legal holds</h1>
<div class="scroll">
<table id="holds">
  <thead><tr><th>Case id</th><th>Name</th><th>Status</th><th>Created</th><th>Released</th><th>Covers</th></tr></thead>
  <tbody>
  {{#holds}}
    <tr data-case-id="{{caseId}}">
      <td><a href="/console/holds/{{caseId}}?org={{orgId}}">{{caseId}}</a></td><td>{{name}}</td>
      <td><span class="status badge {{badge}}">{{status}}</span></td><td>{{created}}</td><td>{{released}}</td><td>{{covers}}</td>
    </tr>
  {{/holds}}
  {{^holds}}<tr><td colspan="6" class="muted">No legal holds in this org yet.</td></tr>{{/holds}}
  </tbody>
</table>
</div>

<section class="card" aria-labelledby="new-hold-h">
  <h2 id="new-hold-h">Create a hold</h2>
  <p class="hint">The same rules and messages as <code>POST /__admin/legal-holds</code>. A case id comes from your own tracking system, and a released one can never be used again.</p>
  <form id="hold-create" class="grid">
    <label for="hold-case">Case id</label><input id="hold-case" name="caseId" required maxlength="64" placeholder="LH-2024-001">
    <label for="hold-name">Name</label><input id="hold-name" name="name" required maxlength="200">
    <label for="hold-description">Description</label><textarea id="hold-description" name="description" rows="2" maxlength="2000"></textarea>
    <label for="hold-ids">Conversation ids</label><textarea id="hold-ids" name="conversationIds" rows="2" placeholder="one per line or comma-separated (optional)"></textarea>
    <label for="hold-from">Filter: from</label><input id="hold-from" name="from" type="date">
    <label for="hold-to">Filter: to</label><input id="hold-to" name="to" type="date">
    <label for="hold-media">Filter: media type</label>
    <select id="hold-media" name="mediaType"><option value="">any</option>{{#mediaTypes}}<option>{{.}}</option>{{/mediaTypes}}</select>
    <span></span><button type="submit">Create hold</button>
  </form>
  <pre class="error-body" id="action-error" data-error hidden></pre>
</section>
{{> foot}}
"""#

    static let hold = #"""
{{> head}}
<p class="crumbs"><a href="/console/holds?org={{orgId}}">Legal holds</a> ›</p>
<h1>{{hold.caseId}} <span id="hold-status" class="badge {{hold.badge}}">{{hold.status}}</span></h1>
<dl class="facts">
  <dt>Name</dt><dd>{{hold.name}}</dd>
  <dt>Description</dt><dd>{{hold.description}}</dd>
  <dt>Created</dt><dd>{{hold.created}}</dd>
  <dt>Released</dt><dd>{{hold.released}}</dd>
  <dt>Covers</dt><dd>{{hold.covers}}</dd>
</dl>
{{#hold.active}}
<p><button type="button" id="hold-release" class="danger" data-case="{{hold.caseId}}">Release this hold</button>
<span class="hint">Releasing is recorded for good: the case id can never be used again.</span></p>
{{/hold.active}}
<pre class="error-body" id="action-error" data-error hidden></pre>
<h2>Exports under this hold</h2>
{{> jobtable}}
<p><a class="button" href="/console/exports/new?org={{orgId}}&amp;caseId={{hold.caseId}}">New export for this case</a></p>
{{> foot}}
"""#
}
