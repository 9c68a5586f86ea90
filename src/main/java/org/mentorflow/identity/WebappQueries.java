package org.mentorflow.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

/**
 * The engine refuses an unbounded query of a logged-in person ({@code queryMaxResultsLimit}); Tasklist and Cockpit send
 * some lists without {@code maxResults} (Tasklist's filters, for one). For the web apps' own API only, such a request
 * asks for at most the limit, which is what it would get anyway. Callers of {@code /engine-rest} page themselves.
 */
final class WebappQueries {

    static final int LIMIT = 2000;

    private WebappQueries() {
    }

    static HttpServletRequest paged(HttpServletRequest request) {
        String query = request.getQueryString();
        if (query != null && (query.startsWith("maxResults=") || query.contains("&maxResults="))) {
            return request;
        }
        String paged = (query == null || query.isEmpty() ? "" : query + "&") + "maxResults=" + LIMIT;
        return new HttpServletRequestWrapper(request) {
            @Override
            public String getQueryString() {
                return paged;
            }

            @Override
            public String getParameter(String name) {
                return "maxResults".equals(name) ? String.valueOf(LIMIT) : super.getParameter(name);
            }
        };
    }
}
