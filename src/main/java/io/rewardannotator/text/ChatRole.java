package io.rewardannotator.text;

import java.util.Locale;

/** The speaker of a chat turn. Only these three roles are valid input for QRM. */
public enum ChatRole {
    SYSTEM, USER, ASSISTANT;

    /** The role name as it appears in events and in the rendered chat header. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a role name exactly as written in an event ({@code system}, {@code user}, {@code assistant}).
     *
     * @throws InputRejectedException with {@link RejectionReason#INVALID_ROLE} for anything else
     */
    public static ChatRole parse(String name) throws InputRejectedException {
        for (ChatRole role : values()) {
            if (role.wireName().equals(name)) {
                return role;
            }
        }
        throw new InputRejectedException(RejectionReason.INVALID_ROLE,
                "role '" + name + "' is not one of system, user, assistant");
    }
}
