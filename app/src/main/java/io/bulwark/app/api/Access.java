package io.bulwark.app.api;

import io.bulwark.app.store.Store.Role;
import io.javalin.security.RouteRole;

/**
 * What a route needs from the caller's token. Every route declares exactly one, in
 * {@link Api#create}; the access check reads it from the matched route.
 */
enum Access implements RouteRole {
    /** No token: only the health check. */
    open,
    /** Any valid token: viewer, analyst or admin. */
    read,
    /** Incident state changes: analyst or admin. */
    change,
    /** Tokens: admin only. */
    admin;

    boolean allows(Role role) {
        return switch (this) {
            case open, read -> true;
            case change -> role == Role.analyst || role == Role.admin;
            case admin -> role == Role.admin;
        };
    }
}
