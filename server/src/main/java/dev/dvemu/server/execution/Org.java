package dev.dvemu.server.execution;

import java.util.UUID;

/** The one organization, business unit and user dvemu has: what {@code WhoAmI} answers and plug-ins are told. */
public final class Org {
    public static final UUID USER_ID = UUID.fromString("d5e4a3b2-0001-4000-8000-00000000dead");
    public static final UUID BUSINESS_UNIT_ID = UUID.fromString("d5e4a3b2-0002-4000-8000-00000000beef");
    public static final UUID ORGANIZATION_ID = UUID.fromString("d5e4a3b2-0003-4000-8000-00000000cafe");

    private Org() {
    }
}
