/// The batch downloads page: the org's batch requests with each result's state on the mock clock, and the
/// downloader flow as curl lines to copy.
enum DownloadTemplates {
    static let downloads = #"""
{{> head}}
<h1>Batch downloads</h1>
<p class="hint">Genesys's recordings downloader, as its tutorial runs it: discover conversations, read their recording metadata,
submit one batch request, poll it until <code>resultCount</code> equals <code>expectedResultCount</code>, then download each
<code>resultUrl</code> with no Authorization header. A URL works for the org's <code>recordingBatchDownloadUrlTtl</code>
({{ttl}} minutes) on the mock clock (now {{now}}): advance the clock on <a href="/console/faults?org={{orgId}}">Faults &amp; reset</a> to watch one expire.</p>
<h2>Batch requests</h2>
{{#requests}}
<section class="panel batch" data-batch="{{id}}">
  <h3><code>{{id}}</code> <span class="badge{{#completed}} ok{{/completed}}">{{status}}</span></h3>
  <p class="hint">Submitted {{submitted}} by {{clientId}} · {{resultCount}} of {{expected}} results{{#errors}} · {{.}} with an error{{/errors}}</p>
  <div class="scroll">
  <table class="results">
    <thead><tr><th>Conversation</th><th>Recording</th><th>State</th><th>Result</th></tr></thead>
    <tbody>
    {{#results}}
      <tr data-state="{{state}}"><td><a href="/console/conversations/{{conversationId}}?org={{orgId}}"><code>{{shortConversation}}</code></a></td>
        <td><code>{{shortRecording}}</code></td>
        <td><span class="badge {{badge}}">{{stateLabel}}</span></td>
        <td>{{#url}}<a class="result-url" href="{{url}}">download</a> <span class="muted">{{expiry}}</span>{{/url}}{{#error}}<span class="error-text">{{error}}</span>{{/error}}{{#waiting}}<span class="muted">ready at {{waiting}}</span>{{/waiting}}</td></tr>
    {{/results}}
    </tbody>
  </table>
  </div>
</section>
{{/requests}}
{{^requests}}<p class="muted" id="no-requests">No batch request yet in this org: run the flow below.</p>{{/requests}}
<section id="flow" class="panel">
  <h2>The flow as curl lines</h2>
  {{#steps}}
  <p class="step">{{label}} <button type="button" class="copy" data-copy="{{command}}">Copy</button></p>
  <pre class="code">{{command}}</pre>
  {{/steps}}
</section>
{{> foot}}
"""#
}
