/// Conversations as chats, and the bucket browser.
enum BrowseTemplates {
    static let conversations = #"""
{{> head}}
<h1>Conversations</h1>
<form id="conversation-search" class="filters" method="get" action="/console/conversations">
  <input type="hidden" name="org" value="{{orgId}}">
  <label for="cs-q">Text</label><input id="cs-q" name="q" value="{{q}}" type="search">
  <label for="cs-from">From</label><input id="cs-from" name="from" type="date" value="{{from}}">
  <label for="cs-to">To</label><input id="cs-to" name="to" type="date" value="{{to}}">
  <label for="cs-queue">Queue</label>
  <select id="cs-queue" name="queue"><option value="">any</option>{{#queues}}<option{{#selected}} selected{{/selected}}>{{name}}</option>{{/queues}}</select>
  <label for="cs-type">Messenger</label>
  <select id="cs-type" name="type"><option value="">any</option>{{#types}}<option{{#selected}} selected{{/selected}}>{{name}}</option>{{/types}}</select>
  <button type="submit">Search</button>
</form>
{{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
<div class="scroll">
<table id="conversations">
  <thead><tr><th>Started (UTC)</th><th>Messenger</th><th>Queue</th><th>Customer</th><th>First message</th></tr></thead>
  <tbody>
  {{#rows}}
    <tr data-conversation-id="{{id}}">
      <td><a href="/console/conversations/{{id}}?org={{orgId}}">{{start}}</a></td><td>{{type}}</td><td>{{queue}}</td><td>{{customer}}</td><td class="snippet">{{snippet}}</td>
    </tr>
  {{/rows}}
  {{^rows}}<tr><td colspan="5" class="muted">No conversation matches{{#windowNote}} among these{{/windowNote}}.</td></tr>{{/rows}}
  </tbody>
</table>
</div>
<p class="pager">{{#windowNote}}<span class="hint" id="window-note">{{windowNote}}</span> {{/windowNote}}
{{#nextURL}}<a id="next-page" class="button" href="{{nextURL}}">{{nextLabel}}</a>{{/nextURL}}
{{#firstURL}} <a href="{{firstURL}}">Back to the newest</a>{{/firstURL}}</p>
{{> foot}}
"""#

    static let chat = #"""
{{> head}}
<p class="crumbs"><a href="/console/conversations?org={{orgId}}">Conversations</a> ›</p>
<h1>{{queue}} · {{type}}</h1>
<dl class="facts">
  <dt>Conversation</dt><dd><code>{{id}}</code></dd>
  <dt>Recording</dt><dd><code>{{recordingId}}</code></dd>
  <dt>Started</dt><dd>{{start}}</dd><dt>Ended</dt><dd>{{end}}</dd>
  <dt>Exported</dt><dd>{{exported}}</dd>
  <dt>File state</dt><dd id="file-state"><span class="badge">{{fileState}}</span>{{#restoredUntil}} until {{.}}{{/restoredUntil}}</dd>
  <dt>Archive date</dt><dd id="archive-date">{{archiveDate}}{{^archiveDate}}<span class="muted">none</span>{{/archiveDate}}</dd>
  <dt>Delete date</dt><dd id="delete-date">{{deleteDate}}{{^deleteDate}}<span class="muted">none</span>{{/deleteDate}}</dd>
  <dt>Export date</dt><dd id="export-date">{{exportDate}}{{^exportDate}}<span class="muted">none</span>{{/exportDate}}</dd>
  <dt>Participants</dt><dd>{{#participants}}<span class="chip {{purpose}}">{{name}} ({{purpose}})</span> {{/participants}}</dd>
</dl>
<ol id="chat" class="chat">
{{#messages}}
  <li class="bubble {{side}} {{purpose}}">
    <span class="who">{{who}}</span> <time class="time" datetime="{{timestamp}}">{{time}}</time>
    {{#text}}<p class="text" dir="auto">{{text}}</p>{{/text}}
    {{#attachments}}<p class="attachment">Attachment: {{.}}</p>{{/attachments}}
  </li>
{{/messages}}
</ol>
{{> foot}}
"""#

    static let buckets = #"""
{{> head}}
<h1>Buckets</h1>
<div class="scroll">
<table id="buckets">
  <thead><tr><th>Bucket</th><th>Region</th><th>Object Lock</th></tr></thead>
  <tbody>
  {{#buckets}}<tr data-bucket="{{name}}"><td><a href="/console/buckets/{{name}}?org={{orgId}}">{{name}}</a>{{#remote}} <span class="badge">remote: {{.}}</span>{{/remote}}</td><td>{{region}}</td>
    <td>{{#lock}}<span class="badge ok">enabled</span>{{/lock}}{{^lock}}<span class="badge">off</span>{{/lock}}</td></tr>{{/buckets}}
  </tbody>
</table>
</div>
{{> foot}}
"""#

    static let bucket = #"""
{{> head}}
<p class="crumbs" id="crumbs"><a href="/console/buckets?org={{orgId}}">Buckets</a> › {{#crumbs}}<a href="{{href}}">{{label}}</a> › {{/crumbs}}</p>
<h1>{{bucket}}</h1>
<ul id="prefixes" class="prefixes">
{{#prefixes}}<li><a class="prefix" href="{{href}}"><span class="folder" aria-hidden="true"></span>{{label}}</a></li>{{/prefixes}}
</ul>
<div class="scroll">
<table id="objects">
  <thead><tr><th>Key</th><th>Size</th><th>ETag</th><th>Legal hold</th><th>Case id</th><th>Last modified</th></tr></thead>
  <tbody>
  {{#objects}}
    <tr data-key="{{key}}"><td><a href="{{href}}">{{label}}</a></td><td class="size">{{size}}</td><td class="etag"><code>{{etag}}</code></td>
      <td class="lock">{{#held}}<span class="badge lock-on">ON</span>{{/held}}{{^held}}<span class="badge">OFF</span>{{/held}}</td>
      <td class="case-id">{{caseId}}</td><td>{{modified}}</td></tr>
  {{/objects}}
  {{^objects}}{{^prefixes}}<tr><td colspan="6" class="muted">Nothing here.</td></tr>{{/prefixes}}{{/objects}}
  </tbody>
</table>
</div>
{{#moreURL}}<p class="pager"><a id="more" class="button" href="{{moreURL}}">Next {{pageSize}}</a></p>{{/moreURL}}
{{> foot}}
"""#

    static let object = #"""
{{> head}}
<p class="crumbs"><a href="/console/buckets?org={{orgId}}">Buckets</a> › {{#crumbs}}<a href="{{href}}">{{label}}</a> › {{/crumbs}}</p>
<h1 class="key">{{name}}</h1>
<dl id="object-meta" class="facts">
  <dt>Key</dt><dd><code>{{key}}</code></dd>
  <dt>Size</dt><dd>{{size}}</dd>
  <dt>ETag</dt><dd><code>{{etag}}</code></dd>
  <dt>SHA-256</dt><dd><code>{{sha256}}</code></dd>
  <dt>Content type</dt><dd>{{contentType}}</dd>
  <dt>Legal hold</dt><dd class="lock">{{#held}}<span class="badge lock-on">ON</span>{{/held}}{{^held}}<span class="badge">OFF</span>{{/held}}</dd>
  <dt>Case id</dt><dd class="case-id">{{caseId}}</dd>
  <dt>Export job</dt><dd>{{#jobId}}<a href="/console/exports/{{jobId}}?org={{orgId}}"><code>{{jobId}}</code></a>{{/jobId}}</dd>
  <dt>Last modified</dt><dd>{{modified}}</dd>
</dl>
<p><a id="download" class="button" href="{{downloadURL}}" download>Download</a></p>
{{#note}}<p class="hint">{{note}}</p>{{/note}}
<pre id="object-body" class="code">{{{bodyHTML}}}</pre>
{{> foot}}
"""#
}
