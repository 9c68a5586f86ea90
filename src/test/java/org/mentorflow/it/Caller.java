package org.mentorflow.it;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A caller of the running application with full control over the request (method, content type, raw body), either
 * anonymous, with HTTP Basic, or as a browser logged in on {@code /login} (session cookie and CSRF tokens: ours from
 * {@code GET /api/session}, Camunda's web apps' from their {@code XSRF-TOKEN} cookie).
 */
class Caller {

    record Answer(int status, String body, java.net.http.HttpHeaders headers) {
        Answer(int status, String body) {
            this(status, body, null);
        }

        String header(String name) {
            return headers == null ? null : headers.firstValue(name).orElse(null);
        }
    }

    /** Added to a role's name where the role calls with a browser session ("coord@session"). */
    static final String SESSION = "@session";
    private static final Pattern CSRF_FIELD = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    private final String base;
    private final HttpClient client;
    private final CookieManager cookies;
    final String user;
    private final boolean basic;
    private String csrf;
    private String camundaCsrf;
    private boolean sendCsrf = true;

    private Caller(int port, String user, boolean basic) {
        this(port, user, basic, new CookieManager());
    }

    private Caller(int port, String user, boolean basic, CookieManager cookies) {
        this.base = "http://localhost:" + port;
        this.user = user;
        this.basic = basic;
        this.cookies = cookies;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The same browser (its cookies and tokens) talking to another node of the installation, as behind a proxy. */
    Caller onPort(int port) {
        Caller c = new Caller(port, user, basic, cookies);
        c.csrf = csrf;
        c.camundaCsrf = camundaCsrf;
        return c;
    }

    static Caller anonymous(int port) {
        return new Caller(port, null, false);
    }

    static Caller basic(int port, String user) {
        return new Caller(port, user, true);
    }

    /** Logs in on {@code /login} as a browser does and takes the session's CSRF tokens. */
    static Caller session(int port, String user) {
        Caller c = new Caller(port, user, false);
        Answer login = c.login(user, TestSchool.PASSWORD);
        if (login.status() != 302 || String.valueOf(login.header("Location")).contains("/login")) {
            throw new IllegalStateException(user + " cannot log in: " + login.status() + " " + login.header("Location"));
        }
        c.refreshToken();
        return c;
    }

    /** The login form's post, with the token of the form the page showed; the answer is the post's (a redirect). */
    Answer login(String user, String password) {
        Answer page = send("GET", "/login", null, null, "text/html");
        Matcher m = CSRF_FIELD.matcher(page.body());
        String token = m.find() ? m.group(1) : "";
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        return sendForm("/login", form);
    }

    /** The login starts a new session: our token from GET /api/session, the web apps' from their cookie. */
    void refreshToken() {
        Answer me = send("GET", "/api/session", null, null);
        Matcher m = Pattern.compile("\"csrfToken\":\"([^\"]+)\"").matcher(me.body());
        csrf = m.find() ? m.group(1) : null;
        send("GET", "/camunda/app/tasklist/default/", null, null);
        camundaCsrf = cookie("XSRF-TOKEN");
    }

    String csrfToken() {
        return csrf;
    }

    void forgetCsrfToken() {
        sendCsrf = false;
    }

    void useCsrfToken(String token) {
        csrf = token;
        camundaCsrf = token;
        sendCsrf = true;
    }

    String cookie(String name) {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals(name))
                .map(HttpCookie::getValue).reduce((a, b) -> b).orElse(null);
    }

    void clearCookies() {
        cookies.getCookieStore().removeAll();
    }

    Answer json(String method, String path, String json) {
        return send(method, path, json == null ? null : "application/json",
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    Answer send(String method, String path, String contentType, byte[] body) {
        return send(method, path, contentType, body, "application/json, application/problem+json, text/html;q=0.5, */*;q=0.1");
    }

    /** A form post as a browser sends it: the CSRF token only in the form's own {@code _csrf} field, if there. */
    Answer sendForm(String path, String form) {
        boolean saved = sendCsrf;
        sendCsrf = false;
        try {
            return send("POST", path, "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.UTF_8),
                    "text/html,application/xhtml+xml,*/*;q=0.8");
        } finally {
            sendCsrf = saved;
        }
    }

    /** A file as the browser downloads it (reports, issue 11): status, bytes and headers. */
    record Download(int status, byte[] body, java.net.http.HttpHeaders headers) {
    }

    Download download(String path) {
        try {
            var res = client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Download(res.statusCode(), res.body(), res.headers());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Answer send(String method, String path, String contentType, byte[] body, String accept, String... headers) {
        var b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (basic && user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + TestSchool.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        String token = path.startsWith("/camunda/") ? camundaCsrf : csrf;
        if (sendCsrf && token != null) {
            b.header("X-XSRF-TOKEN", token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            var res = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(res.statusCode(), res.body(), res.headers());
        } catch (IOException e) {
            // a server that cuts the connection (e.g. on an oversized body) answers nothing: no status to judge
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
