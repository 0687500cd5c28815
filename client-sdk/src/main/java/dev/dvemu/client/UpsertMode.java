package dev.dvemu.client;

/** What an upsert may do (dataverse-web-api.md §2): a PATCH is an upsert unless a precondition limits it. */
public enum UpsertMode {
    /** Create the row if missing, update it if present (PATCH without preconditions). */
    CREATE_OR_UPDATE,
    /** Create only; an existing row is a {@link DuplicateRecordException} ({@code If-None-Match: *}). */
    CREATE_ONLY,
    /** Update only; a missing row is a {@link NotFoundException} ({@code If-Match: *}). */
    UPDATE_ONLY
}
