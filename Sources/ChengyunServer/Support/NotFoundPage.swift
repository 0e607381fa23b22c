import Hummingbird

/// What a browser gets for a page that does not exist: a page in the interface's language with
/// a way back, not a problem document. API clients (anything under `/api/`, or not asking for
/// HTML) keep problem+json. The language follows `Accept-Language`; the page's script switches
/// it to the one chosen in the interface (kept in the browser, not sent to the server).
enum NotFoundPage {
    static func wanted(by request: Request) -> Bool {
        guard request.method == .get || request.method == .head else { return false }
        let path = request.uri.path
        if path.hasPrefix("/api/") || path == "/metrics" || path == "/healthz" { return false }
        return request.headers[.accept]?.contains("text/html") == true
    }

    static func response(for request: Request) -> Response {
        let english = request.headers[.acceptLanguage]?.lowercased().hasPrefix("en") == true
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(
            status: .notFound, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html(english: english))))
    }

    static func html(english: Bool) -> String {
        """
        <!doctype html>
        <html lang="\(english ? "en" : "zh-CN")">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>\(english ? "Page not found · Chengyun" : "页面不存在 · 城运")</title>
          <link rel="stylesheet" href="/assets/style.css">
          <script type="module" src="/assets/not-found.js"></script>
        </head>
        <body class="not-found">
          <main>
            <section data-lang="zh"\(english ? " hidden" : "")>
              <h1>页面不存在</h1>
              <p>您要找的页面不存在或已移动。</p>
              <p><a href="/">返回工作台</a> · <a href="/citizen.html">市民服务</a></p>
            </section>
            <section data-lang="en"\(english ? "" : " hidden")>
              <h1>Page not found</h1>
              <p>The page you asked for does not exist or has moved.</p>
              <p><a href="/">Back to the workbench</a> · <a href="/citizen.html">Citizen service</a></p>
            </section>
          </main>
        </body>
        </html>
        """
    }
}
