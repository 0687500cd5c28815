package dev.dvemu.server.http;

import dev.dvemu.server.api.ApiServlet;
import dev.dvemu.server.error.DataverseError;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * Like Dataverse, answers 401 to a request without {@code Authorization: Bearer <token>}; any non-empty token is
 * accepted (there is no identity provider to check it against). Off with {@code --allow-anonymous}.
 */
public final class AuthFilter implements Filter {
    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String auth = ((HttpServletRequest) request).getHeader("Authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && !auth.substring(7).isBlank()) {
            chain.doFilter(request, response);
            return;
        }
        HttpServletResponse resp = (HttpServletResponse) response;
        resp.setHeader("WWW-Authenticate", "Bearer authorization_uri=https://login.microsoftonline.com/common/oauth2/authorize");
        request.setAttribute(RequestLogFilter.CODE, DataverseError.UNAUTHORIZED.code());
        ApiServlet.writeError(resp, DataverseError.UNAUTHORIZED.exception());
    }
}
