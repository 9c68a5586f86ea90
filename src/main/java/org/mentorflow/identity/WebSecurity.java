package org.mentorflow.identity;

import java.util.Map;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.rest.security.auth.impl.ContainerBasedAuthenticationProvider;
import org.camunda.bpm.webapp.impl.security.auth.ContainerBasedAuthenticationFilter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.authentication.logout.HttpStatusReturningLogoutSuccessHandler;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;
import org.springframework.security.web.firewall.HttpStatusRequestRejectedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.accept.HeaderContentNegotiationStrategy;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Who may call what, in one place, one chain per surface (read top to bottom):
 * <ol>
 * <li>{@code /engine-rest/**} and the metrics ({@code /actuator/prometheus}), one chain: administrators (group
 * {@code camunda-admin}) only, HTTP Basic, stateless.</li>
 * <li>Camunda's web apps ({@code /camunda/**}: Tasklist, Cockpit, Admin, Welcome and their APIs): administrators only;
 * they log in on our {@code /login} and the web apps take that login (Camunda's container-based authentication).</li>
 * <li>Our API {@code /api/**}: anyone logged in (what each person may see is decided per record by the API itself),
 * with the browser's session or HTTP Basic.</li>
 * <li>Everything else (pages): the one-click pages {@code /act/**}, {@code /login}, static files and the health probe are
 * open; the demo's mailbox is for administrators; every other page needs a login (a browser is sent to {@code /login}).</li>
 * </ol>
 * Every authenticated request runs as the person in the engine ({@link EngineAuthentication}), so the engine's own
 * authorizations check it again.
 * <p>
 * No answer ever carries a {@code WWW-Authenticate} challenge: HTTP Basic is for API clients, which send it unasked
 * ({@code curl -u}), so a browser never shows its login dialog and never keeps Basic credentials for this site. That is
 * also why a request with HTTP Basic needs no CSRF token: a page of another site can make the browser send the session
 * cookie, but never an {@code Authorization} header (the browser has none cached for us, and a script of another
 * origin may only set one after a CORS preflight, which nothing here approves). {@code /engine-rest} does not use the
 * session at all, so only Basic authenticates there; on {@code /api} a request without Basic is a browser's and must
 * carry the session's CSRF token ({@code X-XSRF-TOKEN}, from {@code GET /api/session}).
 */
@Configuration
class WebSecurity {

    static final String ADMINS = "camunda-admin";
    /** The CSRF header our pages and Camunda's web apps send. */
    static final String CSRF_HEADER = "X-XSRF-TOKEN";
    /** Our pages: no inline script or style, nothing framed, forms only to ourselves. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'";

    private final boolean hsts;
    private final EngineAuthentication engine;

    WebSecurity(@Value("${camunda.bpm.webapp.header-security.hsts-disabled:true}") boolean hstsDisabled,
                IdentityService identityService) {
        this.hsts = !hstsDisabled;
        this.engine = new EngineAuthentication(identityService);
    }

    @Bean
    @Order(1)
    SecurityFilterChain engineRest(HttpSecurity http) throws Exception {
        // the metrics a school's Prometheus scrapes are for administrators the same way
        http.securityMatcher(anyOf("/engine-rest/**", "/actuator/prometheus"))
                .authorizeHttpRequests(a -> a.anyRequest().hasAuthority(ADMINS))
                .httpBasic(b -> b.authenticationEntryPoint(Refusals.API_LOGIN))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                // stateless: only an Authorization header authenticates here, which another site cannot make a browser send
                .csrf(c -> c.disable())
                .exceptionHandling(e -> e.authenticationEntryPoint(Refusals.API_LOGIN).accessDeniedHandler(Refusals.API_ADMINS))
                .headers(this::strictHeaders)
                .addFilterAfter(engine, AuthorizationFilter.class);
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain camundaWebapps(HttpSecurity http) throws Exception {
        http.securityMatcher(anyOf("/camunda/**", "/camunda-welcome/**"))
                .authorizeHttpRequests(a -> a.anyRequest().hasAuthority(ADMINS))
                // the web apps send their own CSRF token (Camunda's CsrfPreventionFilter checks it, behind this chain)
                .csrf(c -> c.disable())
                // their "Log out" ends the one login, not only the web apps' copy of it
                .logout(l -> l.logoutRequestMatcher(PathPatternRequestMatcher.withDefaults()
                                .matcher(org.springframework.http.HttpMethod.POST, "/camunda/api/admin/auth/user/{engine}/logout"))
                        .logoutSuccessHandler(new HttpStatusReturningLogoutSuccessHandler()))
                .exceptionHandling(e -> e
                        .defaultAuthenticationEntryPointFor(Refusals.API_LOGIN, request -> request.getRequestURI()
                                .startsWith(request.getContextPath() + "/camunda/api/"))
                        .defaultAuthenticationEntryPointFor(toLogin(), request -> true)
                        .accessDeniedHandler(Refusals.forBrowsersAndClients(Refusals.API_ADMINS)))
                // Cockpit, Tasklist and Admin send their own Content-Security-Policy (AngularJS needs 'unsafe-eval' and
                // inline styles), nosniff and HSTS; frames and referrers are ours
                .headers(h -> h.contentTypeOptions(c -> c.disable()).httpStrictTransportSecurity(s -> s.disable())
                        .referrerPolicy(r -> r.policy(ReferrerPolicy.SAME_ORIGIN)))
                .addFilterAfter(engine, AuthorizationFilter.class);
        return http.build();
    }

    @Bean
    @Order(3)
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        RequestMatcher basic = request -> {
            String header = request.getHeader("Authorization");
            return header != null && header.regionMatches(true, 0, "Basic ", 0, 6);
        };
        http.securityMatcher(path("/api/**"))
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .httpBasic(b -> b.authenticationEntryPoint(Refusals.API_LOGIN))
                .csrf(c -> c.csrfTokenRepository(csrfTokens()).ignoringRequestMatchers(basic))
                .exceptionHandling(e -> e.authenticationEntryPoint(Refusals.API_LOGIN).accessDeniedHandler(Refusals.API_DENIED))
                .headers(this::strictHeaders)
                .addFilterAfter(engine, AuthorizationFilter.class);
        return http.build();
    }

    @Bean
    @Order(4)
    SecurityFilterChain pages(HttpSecurity http, @Value("${mentorflow.web.home}") String home) throws Exception {
        var success = new SavedRequestAwareAuthenticationSuccessHandler();
        success.setDefaultTargetUrl(home);
        http.authorizeHttpRequests(a -> a
                        .requestMatchers(anyOf("/login", "/act/**", "/css/**", "/js/**", "/favicon.ico", "/error",
                                "/actuator/health/**")).permitAll()
                        .requestMatchers(path("/mailbox/**")).hasAuthority(ADMINS)
                        .anyRequest().authenticated())
                .formLogin(f -> f.loginPage("/login").successHandler(success).failureHandler((request, response, e) -> response.sendRedirect(
                                request.getContextPath() + (e instanceof LoginThrottle.Throttled ? "/login?throttled" : "/login?error")))
                        .permitAll())
                .logout(l -> l.logoutSuccessUrl("/login?logout"))
                // a one-click link's signed token is its own credential, bound to one person, task and decision
                .csrf(c -> c.csrfTokenRepository(csrfTokens()).ignoringRequestMatchers(path("/act/**")))
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(toLogin(), request -> true)
                        .accessDeniedHandler(Refusals.forBrowsersAndClients(Refusals.API_DENIED)))
                .headers(this::strictHeaders)
                .addFilterAfter(engine, AuthorizationFilter.class);
        return http.build();
    }

    private void strictHeaders(org.springframework.security.config.annotation.web.configurers.HeadersConfigurer<HttpSecurity> h) {
        // the demo mailbox shows a mail as a mail client would: with the mail's own inline styles (never a script)
        RequestMatcher mail = path("/mailbox/{id}.html");
        h.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(new NegatedRequestMatcher(mail),
                        new ContentSecurityPolicyHeaderWriter(CSP)))
                .addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(mail,
                        new ContentSecurityPolicyHeaderWriter(CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'"))))
                .referrerPolicy(r -> r.policy(ReferrerPolicy.SAME_ORIGIN))
                .frameOptions(f -> f.deny());
        if (hsts) {
            h.httpStrictTransportSecurity(s -> s.maxAgeInSeconds(31_536_000).includeSubDomains(true));
        } else {
            h.httpStrictTransportSecurity(s -> s.disable());
        }
    }

    private static AuthenticationEntryPoint toLogin() {
        // browsers (they ask for HTML) go to the login page; any other client gets 401 without a challenge
        var html = new MediaTypeRequestMatcher(new HeaderContentNegotiationStrategy(),
                org.springframework.http.MediaType.TEXT_HTML);
        html.setIgnoredMediaTypes(java.util.Set.of(org.springframework.http.MediaType.ALL));
        var login = new LoginUrlAuthenticationEntryPoint("/login");
        return (request, response, e) -> {
            if (html.matches(request)) {
                login.commence(request, response, e);
            } else {
                Refusals.API_LOGIN.commence(request, response, e);
            }
        };
    }

    /**
     * Paths as the request names them, whichever servlet serves them (the engine's REST API and Camunda's web apps are
     * Jersey servlets of their own, not Spring MVC's). {@code /x/**} also matches {@code /x}.
     */
    private static RequestMatcher path(String pattern) {
        return PathPatternRequestMatcher.withDefaults().matcher(pattern);
    }

    private static RequestMatcher anyOf(String... patterns) {
        return new OrRequestMatcher(java.util.Arrays.stream(patterns).map(WebSecurity::path).toList());
    }

    static HttpSessionCsrfTokenRepository csrfTokens() {
        var repository = new HttpSessionCsrfTokenRepository();
        repository.setHeaderName(CSRF_HEADER);
        return repository;
    }

    /**
     * Spring Security traces nothing: with Actuator's observation registry present it otherwise wraps each of a request's
     * filters, its login and its access decision in an observation, a cost on every request that no one reads here
     * (the HTTP server's own request metrics stay). Issue 12.
     */
    @Bean
    org.springframework.security.config.observation.SecurityObservationSettings securityObservations() {
        return org.springframework.security.config.observation.SecurityObservationSettings.noObservations();
    }

    /** A request the firewall refuses (encoded slashes or dots, {@code ;}, {@code //}, NUL): 400, never 500. */
    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return new HttpStatusRequestRejectedHandler(HttpStatus.BAD_REQUEST.value());
    }

    /**
     * Camunda's web apps take the login of Spring Security ({@code request.getUserPrincipal()}, which Spring Security
     * provides), so an administrator logs in once, on {@code /login}.
     */
    @Bean
    FilterRegistrationBean<ContainerBasedAuthenticationFilter> camundaWebappsLogin() {
        var registration = new FilterRegistrationBean<>(new ContainerBasedAuthenticationFilter());
        registration.setName("camunda-container-based-authentication");
        registration.setInitParameters(Map.of("authentication-provider", ContainerBasedAuthenticationProvider.class.getName()));
        registration.addUrlPatterns("/camunda/app/*", "/camunda/api/*");
        // behind Spring Security's filter chain (order -100)
        registration.setOrder(101);
        return registration;
    }

    /** {@code /} leads to the home page (the workspace), wherever a person comes from. */
    @Bean
    WebMvcConfigurer homeRedirect(@Value("${mentorflow.web.home}") String home) {
        return new WebMvcConfigurer() {
            @Override
            public void addViewControllers(ViewControllerRegistry registry) {
                registry.addRedirectViewController("/", home);
            }
        };
    }
}
