package dev.dvemu.server.http;

import dev.dvemu.server.api.ApiServlet;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Answers 429 with {@code Retry-After} past the service protection limits ({@link ServiceProtectionLimiter}), per
 * user. Mapped only on the Web API paths and only with {@code --service-protection}; behind the auth filter, so a
 * request refused 401 is not counted. A {@code $batch} is one request here; its whole execution time counts.
 *
 * <p>The user is the bearer token, kept only as its SHA-256 (never the token itself); requests without a token
 * ({@code --allow-anonymous}) share one user. Execution time is the wall time from here to the answer.
 */
public final class ServiceProtectionFilter implements Filter {
    /** The one user of requests without a token; a token's key is base64, which never contains a space. */
    static final String ANONYMOUS = "anonymous user";

    private final ServiceProtectionLimiter limiter;

    public ServiceProtectionFilter(ServiceProtectionLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String user = user(((HttpServletRequest) request).getHeader("Authorization"));
        ServiceProtectionLimiter.Admission admission = limiter.admit(user);
        if (admission instanceof ServiceProtectionLimiter.Admitted admitted) {
            try {
                chain.doFilter(request, response);
            } finally {
                admitted.end();
            }
        } else {
            ServiceProtectionLimiter.Refused refused = (ServiceProtectionLimiter.Refused) admission;
            HttpServletResponse resp = (HttpServletResponse) response;
            resp.setHeader("Retry-After", Long.toString(refused.retryAfterSeconds()));
            ApiServlet.writeError(resp, refused.error());
        }
    }

    /** The key of the token's user: the token's SHA-256, or {@link #ANONYMOUS} without a bearer token. */
    static String user(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return ANONYMOUS;
        }
        String token = authorization.substring(7).strip();
        if (token.isEmpty()) {
            return ANONYMOUS;
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().withoutPadding().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
