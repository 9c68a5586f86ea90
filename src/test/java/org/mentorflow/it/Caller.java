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

/**
 * A caller of the running application with full control over the request (method, content type, raw body), either
 * anonymous, with HTTP Basic, or with a web-app session and its CSRF token as Tasklist has it.
 */
class Caller {

    record Answer(int status, String body) {
    }

    /** Added to a role's name where the role calls with a web-app session ("coord@tasklist"). */
    static final String SESSION = "@tasklist";

    private final String base;
    private final HttpClient client;
    private final CookieManager cookies = new CookieManager();
    final String user;
    private final boolean basic;
    private String csrf;

    private Caller(int port, String user, boolean basic) {
        this.base = "http://localhost:" + port;
        this.user = user;
        this.basic = basic;
        this.client = HttpClient.newBuilder().cookieHandler(cookies).connectTimeout(Duration.ofSeconds(10)).build();
    }

    static Caller anonymous(int port) {
        return new Caller(port, null, false);
    }

    static Caller basic(int port, String user) {
        return new Caller(port, user, true);
    }

    /** Logs in to a web app (tasklist, cockpit, admin) as the browser does; the answer is the login post's. */
    static Caller session(int port, String user, String app) {
        Caller c = new Caller(port, user, false);
        c.startBrowserSession();
        Answer login = c.login(user, TestSchool.PASSWORD, app, true);
        if (login.status() != 200) {
            throw new IllegalStateException(user + " cannot log in to " + app + ": " + login);
        }
        c.refreshToken();
        return c;
    }

    /** Opens the tasklist page so that the server hands out a session and its XSRF-TOKEN cookie. */
    void startBrowserSession() {
        send("GET", "/camunda/app/tasklist/default/", null, null);
        csrf = cookie("XSRF-TOKEN");
    }

    Answer login(String user, String password, String app, boolean withToken) {
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        String saved = csrf;
        if (!withToken) {
            csrf = null;
        }
        try {
            return send("POST", "/camunda/api/admin/auth/user/default/login/" + app, "application/x-www-form-urlencoded",
                    form.getBytes(StandardCharsets.UTF_8));
        } finally {
            csrf = saved;
        }
    }

    /** The login starts a new session; its token comes with the next request, as in the browser. */
    void refreshToken() {
        send("GET", "/camunda/api/admin/auth/user/default", null, null);
        csrf = cookie("XSRF-TOKEN");
    }

    String csrfToken() {
        return csrf;
    }

    void forgetCsrfToken() {
        csrf = null;
    }

    void useCsrfToken(String token) {
        csrf = token;
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
        var b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json, application/problem+json, text/html;q=0.5, */*;q=0.1")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (basic && user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + TestSchool.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        }
        if (csrf != null) {
            b.header("X-XSRF-TOKEN", csrf);
        }
        try {
            var res = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(res.statusCode(), res.body());
        } catch (IOException e) {
            // a server that cuts the connection (e.g. on an oversized body) answers nothing: no status to judge
            return new Answer(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
