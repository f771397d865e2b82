/// The Tenants page: a form to make one (its credentials appear once, below it), and every tenant with its clock,
/// jobs and errors, and its reset and delete.
enum TenantTemplates {
    static let tenants = #"""
{{> head}}
<h1>Tenants</h1>
<p class="hint">One sandbox per trainee or CI job: each tenant is an org with its own conversations, buckets, S3 key,
legal holds, clock and reset. Nobody sees anyone else's jobs or objects. A tenant's secrets are shown once, when it is made.</p>
<section class="panel">
  <h2>New tenant</h2>
  <form id="tenant-create" class="inline">
    <label>Name <input name="name" required maxlength="32" pattern="[a-z0-9]([a-z0-9\-]*[a-z0-9])?" placeholder="trainee-01"></label>
    <label>Generated conversations <input name="conversations" type="number" min="0" max="10000" value="0"></label>
    <button type="submit">Create tenant</button>
  </form>
  <pre id="tenant-error" class="error-text" hidden></pre>
  <div id="tenant-created" hidden>
    <p><strong>Copy these now: the secrets are not shown again.</strong> <button type="button" class="copy" id="tenant-copy">Copy</button>
      <a href="/console/tenants?org={{orgId}}">Show it in the list</a></p>
    <pre class="code" id="tenant-env"></pre>
  </div>
</section>
<section id="tenant-list">
<h2>Tenants ({{count}})</h2>
{{#hasTenants}}
<div class="scroll">
<table class="tenants">
  <thead><tr><th>Name</th><th>Clock</th><th>Conversations</th><th>Jobs</th><th>Errors</th><th>Actions</th></tr></thead>
  <tbody>
  {{#tenants}}
    <tr data-tenant="{{id}}">
      <td><strong>{{name}}</strong><br><span class="muted"><code>{{id}}</code> · made {{created}}</span><br><span class="muted">{{buckets}}</span></td>
      <td>{{clock}}{{#frozen}} <span class="badge">frozen</span>{{/frozen}}</td>
      <td>{{conversations}} + fixtures</td>
      <td><a href="/console/exports?org={{orgId}}">{{active}} active · {{fulfilled}} done{{#failed}} · <span class="error-text">{{.}} failed</span>{{/failed}}</a></td>
      <td>{{#errors}}<span class="badge bad">{{.}}</span> <span class="muted">{{lastError}}</span>{{/errors}}{{^errors}}<span class="muted">none</span>{{/errors}}</td>
      <td><button type="button" class="tenant-reset" data-tenant="{{id}}" data-name="{{name}}">Reset</button>
        <button type="button" class="tenant-delete danger" data-tenant="{{id}}" data-name="{{name}}">Delete</button></td>
    </tr>
  {{/tenants}}
  </tbody>
</table>
</div>
{{/hasTenants}}
{{^hasTenants}}<p class="muted" id="no-tenants">No tenant yet: make one above, or with <code>genesys-mock tenant create NAME</code>.</p>{{/hasTenants}}
</section>
{{> foot}}
"""#
}
