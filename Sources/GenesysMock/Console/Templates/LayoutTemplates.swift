/// The frame every console page shares: head, navigation, org switcher, and the confirmation dialog.
/// Mustache escapes every `{{value}}` as HTML; the templates never use triple braces.
enum LayoutTemplates {
    static let head = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{{#chrome}}
<meta name="csrf-token" content="{{csrf}}">
<title>{{title}} · genesys-mock console</title>
<link rel="stylesheet" href="/console/static/console.css">
<script src="/console/static/console.js" defer></script>
</head>
<body data-org="{{orgId}}">
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/console?org={{orgId}}">genesys-mock <span>console</span></a>
  <form class="org-switch" method="get" action="{{path}}">
    <label for="org-select">Org</label>
    <select id="org-select" name="org" data-autosubmit>
      {{#orgs}}<option value="{{id}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/orgs}}
    </select>
    <noscript><button type="submit">Switch</button></noscript>
  </form>
  {{#signedIn}}
  <form method="post" action="/console/sign-out" class="sign-out">
    <input type="hidden" name="csrf" value="{{csrf}}">
    <button type="submit">Sign out</button>
  </form>
  {{/signedIn}}
</header>
<nav id="nav" aria-label="Console">
  <ul>
  {{#nav}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/nav}}
  </ul>
</nav>
{{/chrome}}
<main id="main" tabindex="-1">
"""#

    static let foot = #"""
</main>
<dialog id="confirm-dialog" aria-labelledby="confirm-title">
  <form method="dialog">
    <h2 id="confirm-title">Are you sure?</h2>
    <p id="confirm-text"></p>
    <div class="actions">
      <button value="cancel" id="confirm-no">Cancel</button>
      <button value="yes" id="confirm-yes" class="danger">Yes, do it</button>
    </div>
  </form>
</dialog>
<div id="toast" role="status" aria-live="polite"></div>
</body>
</html>
"""#

    /// An error on a console page (and the closed console): standalone, since the frame needs data an error
    /// may not have.
    static let errorPage = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{code}} · genesys-mock console</title>
<link rel="stylesheet" href="/console/static/console.css">
</head>
<body class="sign-in-page">
<main id="main">
<h1>{{code}} {{reason}}</h1>
<p id="page-error">{{message}}</p>
<p><a href="/console">Back to the console</a></p>
</main>
</body>
</html>
"""#

    static let signIn = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · genesys-mock console</title>
<link rel="stylesheet" href="/console/static/console.css">
</head>
<body class="sign-in-page">
<main id="main">
<h1>genesys-mock console</h1>
<p>This server listens beyond loopback or was started with <code>--admin-token</code>: sign in with that admin token.</p>
<form id="sign-in" method="post" action="/console/sign-in">
  <input type="hidden" name="next" value="{{next}}">
  <label for="token">Admin token</label>
  <input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
  <button type="submit">Sign in</button>
</form>
{{#error}}<p id="sign-in-error" class="error" role="alert">{{error}}</p>{{/error}}
</main>
</body>
</html>
"""#
}
