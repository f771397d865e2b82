/// Exports of both faces: the live list, a job's page, and the form that starts one.
enum ExportTemplates {
    /// Rows update in place while the page is open (`data-live-jobs`: the script polls `/__admin/jobs`).
    static let jobTable = #"""
<div class="scroll">
<table id="jobs" data-live-jobs="{{liveJobsURL}}">
  <thead><tr><th>Job</th><th>Face</th><th>State</th><th>Progress</th><th>Case</th><th>Bucket</th><th>Created</th></tr></thead>
  <tbody>
  {{#jobs}}
    <tr data-job-id="{{id}}">
      <td><a href="/console/exports/{{id}}?org={{orgId}}"><code>{{shortId}}</code></a></td>
      <td><span class="badge face">{{face}}</span> {{action}}</td>
      <td><span class="state badge {{badge}}">{{state}}</span></td>
      <td class="progress-cell">
        <progress class="progress" max="100" value="{{percent}}" aria-label="Progress of {{shortId}}">{{percent}} %</progress>
        <span class="percent">{{percent}} %</span>
        <span class="counts">{{processed}} written · {{skipped}} skipped · {{failed}} failed / {{total}}</span>
      </td>
      <td>{{caseId}}</td><td>{{bucket}}</td><td>{{created}}</td>
    </tr>
  {{/jobs}}
  {{^jobs}}<tr class="empty"><td colspan="7" class="muted">No jobs yet.</td></tr>{{/jobs}}
  </tbody>
</table>
</div>
"""#

    static let exports = #"""
{{> head}}
<h1>Exports</h1>
<p>Both faces of the one job machine: <code>/api/v2/recordings/exports</code> (legal-hold exports) and
<code>/api/v2/recording/jobs</code> (the real platform's bulk jobs). Progress updates live.</p>
<p class="note" id="mock-own-api"><strong>Only in this mock:</strong> <code>/api/v2/recordings/exports</code> and its
<code>legal_hold</code> object have no counterpart on Genesys Cloud. Code meant for the real platform exports with
<code>/api/v2/recording/jobs</code>.</p>
<p><a class="button" href="/console/exports/new?org={{orgId}}">New export</a></p>
{{> jobtable}}
{{> foot}}
"""#

    static let job = #"""
{{> head}}
<p class="crumbs"><a href="/console/exports?org={{orgId}}">Exports</a> ›</p>
{{#job}}
<h1>Job <code>{{id}}</code></h1>
<div id="job" data-live-job="{{id}}" data-state="{{state}}">
<p><span id="job-status" class="state badge {{badge}}">{{state}}</span> <span class="badge face">{{face}}</span> {{action}}</p>
<p class="progress-cell">
  <progress id="job-progress" class="progress" max="100" value="{{percent}}" aria-label="Progress">{{percent}} %</progress>
  <span class="percent" id="job-percent">{{percent}} %</span>
  <span class="counts" id="job-counts">{{processed}} written · {{skipped}} skipped · {{failed}} failed / {{total}}</span>
</p>
{{#errorMessage}}<p class="error" id="job-error">{{errorMessage}}</p>{{/errorMessage}}
{{#errorHint}}<p class="hint" id="job-hint">{{errorHint}}</p>{{/errorHint}}
<dl class="facts">
  <dt>Org</dt><dd>{{orgName}}</dd>
  <dt>Case</dt><dd>{{caseId}}</dd>
  <dt>Bucket</dt><dd><a href="/console/buckets/{{bucket}}?org={{orgId}}">{{bucket}}</a></dd>
  <dt>Prefix</dt><dd><code>{{prefix}}</code></dd>
  <dt>Created</dt><dd>{{created}}</dd>
  <dt>Completed</dt><dd>{{completed}}</dd>
</dl>
</div>
<section class="card" aria-labelledby="files-h">
  <h2 id="files-h">Manifest and chain of custody</h2>
  {{#manifestURL}}<p><a id="manifest-link" href="{{manifestURL}}">manifest.json</a>
  {{#custodyURL}} · <a id="custody-link" href="{{custodyURL}}">chain-of-custody.json</a>{{/custodyURL}}</p>
  <p><button type="button" id="verify" data-job="{{id}}">Verify custody</button>
  <span class="hint">Re-hashes every object, the manifest and the custody chain, like <code>genesys-mock verify</code>.</span></p>
  <div id="verify-result" aria-live="polite"></div>{{/manifestURL}}
  {{^manifestURL}}<p class="muted">The manifest is written when the job is FULFILLED.</p>{{/manifestURL}}
</section>
{{/job}}
<section class="card" aria-labelledby="timeline-h">
  <h2 id="timeline-h">State timeline (audit log)</h2>
  <ol id="timeline">
  {{#timeline}}<li><time>{{time}}</time> <strong>{{event}}</strong> <code class="record">{{record}}</code></li>{{/timeline}}
  </ol>
  {{#omitted}}<p class="hint">{{omitted}} per-object audit entries are not shown.</p>{{/omitted}}
</section>
<section class="card" aria-labelledby="failed-h">
  <h2 id="failed-h">Failed recordings ({{failedTotal}})</h2>
  <div class="scroll">
  <table id="failed">
    <thead><tr><th>Conversation</th><th>Recording</th><th>Error</th></tr></thead>
    <tbody>
    {{#failedItems}}<tr><td><a href="/console/conversations/{{conversationId}}?org={{orgId}}"><code>{{conversationId}}</code></a></td><td><code>{{recordingId}}</code></td><td>{{errorMessage}}</td></tr>{{/failedItems}}
    {{^failedItems}}<tr><td colspan="3" class="muted">None.</td></tr>{{/failedItems}}
    </tbody>
  </table>
  </div>
</section>
{{> foot}}
"""#

    static let newExport = #"""
{{> head}}
<h1>Start an export</h1>
<p>The form builds the JSON body of <code>POST /api/v2/recordings/exports</code>. Edit the JSON as you like: the
server's own validator checks it as you type and shows the exact ErrorBody a bad request gets.</p>
<p class="note" id="mock-own-api"><strong>Only in this mock:</strong> this API and its <code>legal_hold</code> object have
no counterpart on Genesys Cloud; the platform's bulk export is <code>POST /api/v2/recording/jobs</code>.</p>
<div class="two">
<form id="export-form" class="grid">
  <label for="ef-client">OAuth client</label>
  <select id="ef-client" name="client">{{#clients}}<option value="{{clientId}}" data-secret="{{secret}}">{{clientId}}</option>{{/clients}}</select>
  <label for="ef-bucket">Bucket</label>
  <select id="ef-bucket" name="bucket">{{#buckets}}<option value="{{name}}" data-region="{{region}}">{{name}} ({{region}})</option>{{/buckets}}</select>
  <label for="ef-region">Region</label><input id="ef-region" name="region" value="{{firstRegion}}">
  <label for="ef-prefix">Prefix</label><input id="ef-prefix" name="prefix" placeholder="cases/LH-2023-001/">
  <label for="ef-media">Media types</label><input id="ef-media" name="mediaTypes" value="whatsapp">
  <label for="ef-from">From</label><input id="ef-from" name="from" type="date" value="2023-01-01">
  <label for="ef-to">To</label><input id="ef-to" name="to" type="date" value="2023-07-01">
  <label for="ef-hold">Legal hold</label>
  <span><input id="ef-hold" name="legalHold" type="checkbox"{{#caseId}} checked{{/caseId}}> <label for="ef-hold" class="inline">under legal hold</label></span>
  <label for="ef-case">Case id</label>
  <select id="ef-case" name="caseId">{{#holds}}<option value="{{caseId}}"{{#selected}} selected{{/selected}}>{{caseId}} ({{status}})</option>{{/holds}}</select>
  <label for="ef-reason">Reason</label><input id="ef-reason" name="reason" value="Discovery">
  <span></span><button type="submit" id="submit-export">Send the request</button>
</form>
<div>
  <label for="request-editor">Request body</label>
  <textarea id="request-editor" rows="16" spellcheck="false" class="code"></textarea>
  <div id="validation" aria-live="polite" data-valid=""></div>
  <h3>As a curl line <button type="button" class="copy" id="copy-curl" data-copy="">Copy</button></h3>
  <pre id="curl-line" class="code"></pre>
  <div id="submit-result" aria-live="polite"></div>
</div>
</div>
{{> foot}}
"""#
}
