package dev.dvemu.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorMapperTest {
    private static final String VERSION_MISMATCH = """
            {"error":{"code":"0x80060882","message":"The version of the existing record doesn't match the RowVersion property provided."}}""";
    private static final String DUPLICATE_RECORD = """
            {"error":{"code":"0x80040237","message":"A record with matching key values already exists."}}""";
    private static final String DUPLICATE_KEY = """
            {"error":{"code":"0x80060892","message":"Entity Key new_slotkey violated. A record with the same value for new_slotnumber already exists."}}""";
    private static final String NOT_FOUND = """
            {"error":{"code":"0x80040217","message":"new_stock With Id = 5a4f0c29-1b1d-4c6e-9a7b-2f0c1f3e9d11 Does Not Exist"}}""";
    private static final String BAD_PROPERTY = """
            {"error":{"code":"0x0","message":"Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.account'."}}""";
    private static final String THROTTLED_HEX = """
            {"error":{"code":"0x80072322","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}""";
    private static final String THROTTLED_DECIMAL = """
            {"error":{"code":"-2147015902","message":"Number of requests exceeded the limit of 6000 over time window of 300 seconds."}}""";
    private static final String COMMIT_UNKNOWN = """
            {"error":{"code":"0x80040216","message":"The database connection was lost during commit."}}""";
    private static final String DATABASE_UNAVAILABLE = """
            {"error":{"code":"0x80044150","message":"The database is unavailable; the request was not run."}}""";
    private static final String SQL_ERROR = """
            {"error":{"code":"0x80044150","message":"Generic SQL error. Transaction (Process ID 57) was deadlocked on lock resources."}}""";

    // ------------------------------------------------------------------------------------------------ 412

    @Test
    void a412VersionMismatchIsAVersionConflict() {
        DataverseException e = ErrorMapper.fromResponse(412, VERSION_MISMATCH, null);

        VersionConflictException c = assertInstanceOf(VersionConflictException.class, e);
        assertEquals(412, c.status());
        assertEquals("0x80060882", c.code());
        assertEquals("The version of the existing record doesn't match the RowVersion property provided.", c.getMessage());
        assertEquals(1, c.attempts());
        assertEquals(OptionalInt.empty(), c.operationIndex());
    }

    @Test
    void a412DuplicateRecordIsADuplicate() {
        DataverseException e = ErrorMapper.fromResponse(412, DUPLICATE_RECORD, null);

        DuplicateRecordException d = assertInstanceOf(DuplicateRecordException.class, e);
        assertEquals("0x80040237", d.code());
        assertEquals("A record with matching key values already exists.", d.getMessage());
        assertEquals(412, d.status());
    }

    @Test
    void a412DuplicateAlternateKeyIsADuplicate() {
        DataverseException e = ErrorMapper.fromResponse(412, DUPLICATE_KEY, null);

        DuplicateRecordException d = assertInstanceOf(DuplicateRecordException.class, e);
        assertEquals("0x80060892", d.code());
        assertEquals("Entity Key new_slotkey violated. A record with the same value for new_slotnumber already exists.",
                d.getMessage());
    }

    @Test
    void theCodeDecidesBeforeTheStatus() {
        assertInstanceOf(DuplicateRecordException.class, ErrorMapper.fromResponse(409, DUPLICATE_RECORD, null));
        assertInstanceOf(VersionConflictException.class, ErrorMapper.fromResponse(400, VERSION_MISMATCH, null));
    }

    @Test
    void hexCodesAreComparedIgnoringCase() {
        assertInstanceOf(VersionConflictException.class, ErrorMapper.fromResponse(400, error("0X80060882"), null));
        assertInstanceOf(DuplicateRecordException.class, ErrorMapper.fromResponse(400, error("0X80060892"), null));
        assertInstanceOf(ServiceProtectionException.class, ErrorMapper.fromResponse(400, error("0X80072322"), null));
        assertInstanceOf(TransientException.class, ErrorMapper.fromResponse(400, error("0X80044150"), null));
    }

    private static String error(String code) {
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"x\"}}";
    }

    // ------------------------------------------------------------------------------------------------ 404, 400

    @Test
    void a404ObjectDoesNotExistIsNotFound() {
        DataverseException e = ErrorMapper.fromResponse(404, NOT_FOUND, null);

        NotFoundException n = assertInstanceOf(NotFoundException.class, e);
        assertEquals(404, n.status());
        assertEquals("0x80040217", n.code());
        assertEquals("new_stock With Id = 5a4f0c29-1b1d-4c6e-9a7b-2f0c1f3e9d11 Does Not Exist", n.getMessage());
    }

    @Test
    void a400IsABadRequest() {
        DataverseException e = ErrorMapper.fromResponse(400, BAD_PROPERTY, null);

        BadRequestException b = assertInstanceOf(BadRequestException.class, e);
        assertEquals(400, b.status());
        assertEquals("0x0", b.code());
        assertEquals("Could not find a property named 'Name' on type 'Microsoft.Dynamics.CRM.account'.", b.getMessage());
    }

    @Test
    void otherClientErrorsAreBadRequests() {
        assertInstanceOf(BadRequestException.class, ErrorMapper.fromResponse(405, "", null));
        assertInstanceOf(BadRequestException.class, ErrorMapper.fromResponse(413, "", null));
        assertInstanceOf(BadRequestException.class, ErrorMapper.fromResponse(415, "", null));
    }

    @Test
    void a500WithoutAKnownCodeIsAPlainDataverseException() {
        DataverseException e = ErrorMapper.fromResponse(500,
                "{\"error\":{\"code\":\"0x80040216\",\"message\":\"An unexpected error occurred.\"}}", null);

        assertEquals(DataverseException.class, e.getClass());
        assertEquals(500, e.status());
        assertEquals("0x80040216", e.code());
        assertEquals("An unexpected error occurred.", e.getMessage());
        assertFalse(e.isRetryable());
    }

    // ------------------------------------------------------------------------------------------------ throttling

    @Test
    void a429WithRetryAfterIsServiceProtectionWithThatWait() {
        DataverseException e = ErrorMapper.fromResponse(429, THROTTLED_HEX, "7");

        ServiceProtectionException s = assertInstanceOf(ServiceProtectionException.class, e);
        assertEquals(429, s.status());
        assertEquals("0x80072322", s.code());
        assertEquals(Optional.of(Duration.ofSeconds(7)), s.retryAfter());
        assertEquals("Number of requests exceeded the limit of 6000 over time window of 300 seconds.", s.getMessage());
    }

    @Test
    void a429WithoutBodyOrRetryAfterIsStillServiceProtection() {
        ServiceProtectionException s = assertInstanceOf(ServiceProtectionException.class,
                ErrorMapper.fromResponse(429, "", null));

        assertEquals(Optional.empty(), s.retryAfter());
        assertEquals("", s.code());
        assertEquals("HTTP 429", s.getMessage());
    }

    @Test
    void theHexThrottlingCodeMeansServiceProtectionWhateverTheStatus() {
        ServiceProtectionException s = assertInstanceOf(ServiceProtectionException.class,
                ErrorMapper.fromResponse(503, THROTTLED_HEX, "3"));

        assertEquals(503, s.status());
        assertEquals(Optional.of(Duration.ofSeconds(3)), s.retryAfter());
    }

    @Test
    void theDecimalThrottlingCodeMeansServiceProtectionWhateverTheStatus() {
        ServiceProtectionException s503 = assertInstanceOf(ServiceProtectionException.class,
                ErrorMapper.fromResponse(503, THROTTLED_DECIMAL, "4"));
        ServiceProtectionException s400 = assertInstanceOf(ServiceProtectionException.class,
                ErrorMapper.fromResponse(400, THROTTLED_DECIMAL, null));

        assertEquals("-2147015902", s503.code());
        assertEquals(Optional.of(Duration.ofSeconds(4)), s503.retryAfter());
        assertEquals(400, s400.status());
    }

    @Test
    void allThreeServiceProtectionCodesAreRecognisedInHexAndDecimal() {
        for (String code : new String[]{"0x80072322", "0x80072321", "0x80072326", "-2147015902", "-2147015903", "-2147015898"}) {
            DataverseException e = ErrorMapper.fromResponse(400,
                    "{\"error\":{\"code\":\"" + code + "\",\"message\":\"limit\"}}", null);
            assertInstanceOf(ServiceProtectionException.class, e, code);
        }
    }

    @Test
    void aFractionalRetryAfterIsKeptToTheMillisecond() {
        ServiceProtectionException s = assertInstanceOf(ServiceProtectionException.class,
                ErrorMapper.fromResponse(429, THROTTLED_HEX, " 1.5 "));

        assertEquals(Optional.of(Duration.ofMillis(1500)), s.retryAfter());
    }

    @Test
    void anUnusableRetryAfterIsIgnored() {
        assertEquals(Optional.empty(), ((ServiceProtectionException) ErrorMapper.fromResponse(429, THROTTLED_HEX,
                "Wed, 21 Oct 2015 07:28:00 GMT")).retryAfter());
        assertEquals(Optional.empty(), ((ServiceProtectionException) ErrorMapper.fromResponse(429, THROTTLED_HEX,
                "-5")).retryAfter());
        assertEquals(Optional.empty(), ((ServiceProtectionException) ErrorMapper.fromResponse(429, THROTTLED_HEX,
                "  ")).retryAfter());
    }

    // ------------------------------------------------------------------------------------------------ transient

    @Test
    void gatewayAndUnavailableStatusesAreTransientWithAnUnknownOutcome() {
        for (int status : new int[]{502, 503, 504}) {
            TransientException t = assertInstanceOf(TransientException.class,
                    ErrorMapper.fromResponse(status, "", null), "HTTP " + status);
            assertEquals(status, t.status());
            assertEquals(Optional.empty(), t.retryAfter());
            assertTrue(t.outcomeUnknown(), "a gateway or an unavailable service may have run it: HTTP " + status);
        }
    }

    @Test
    void aCommitWhoseOutcomeTheServiceLostIsTransientWithAnUnknownOutcome() {
        TransientException t = assertInstanceOf(TransientException.class, ErrorMapper.fromResponse(503, COMMIT_UNKNOWN, null));

        assertTrue(t.outcomeUnknown());
        assertEquals("0x80040216", t.code());
        assertEquals("The database connection was lost during commit.", t.getMessage());
    }

    @Test
    void theRolledBackCodeInHexOrDecimalMeansRolledBackWhateverTheStatus() {
        for (String code : new String[]{"0x80044150", "0X80044150", "-2147204784"}) {
            for (int status : new int[]{400, 409, 500, 503}) {
                TransientException t = assertInstanceOf(TransientException.class,
                        ErrorMapper.fromResponse(status, error(code), null), code + " with HTTP " + status);
                assertFalse(t.outcomeUnknown(), code + " with HTTP " + status);
                assertEquals(status, t.status());
                assertEquals(code, t.code(), "kept as the service sent it");
            }
        }
    }

    @Test
    void aRequestTheUnavailableDatabaseDidNotRunKeepsItsRetryAfter() {
        TransientException t = assertInstanceOf(TransientException.class,
                ErrorMapper.fromResponse(503, DATABASE_UNAVAILABLE, "5"));

        assertFalse(t.outcomeUnknown());
        assertEquals(Optional.of(Duration.ofSeconds(5)), t.retryAfter());
    }

    @Test
    void aTransientExceptionMadeByHandIsOfUnknownOutcomeUnlessItsCodeSaysRolledBack() {
        assertTrue(new TransientException(0, "", "connection reset", null, null).outcomeUnknown());
        assertTrue(new TransientException(503, "", "Service Unavailable", null, null).outcomeUnknown());
        assertFalse(new TransientException(500, "0x80044150", "deadlock", null, null).outcomeUnknown());
        assertFalse(new TransientException(500, "-2147204784", "deadlock", null, null).outcomeUnknown());
    }

    @Test
    void aTransientFailureKeepsItsRetryAfter() {
        TransientException t = assertInstanceOf(TransientException.class, ErrorMapper.fromResponse(503, "", "12"));

        assertEquals(Optional.of(Duration.ofSeconds(12)), t.retryAfter());
    }

    @Test
    void aGenericSqlErrorIsTransient() {
        TransientException t = assertInstanceOf(TransientException.class, ErrorMapper.fromResponse(503, SQL_ERROR, null));

        assertEquals("0x80044150", t.code());
        assertEquals("Generic SQL error. Transaction (Process ID 57) was deadlocked on lock resources.", t.getMessage());
    }

    @Test
    void aGenericSqlErrorIsTransientWhateverTheStatus() {
        assertInstanceOf(TransientException.class, ErrorMapper.fromResponse(500, SQL_ERROR, null));
        assertInstanceOf(TransientException.class, ErrorMapper.fromResponse(400, SQL_ERROR, null));
    }

    // ------------------------------------------------------------------------------------------------ bodies

    @Test
    void aNonJsonBodyBecomesTheMessage() {
        DataverseException e = ErrorMapper.fromResponse(502, "<html><body>Bad Gateway</body></html>", null);

        assertInstanceOf(TransientException.class, e);
        assertEquals("<html><body>Bad Gateway</body></html>", e.getMessage());
        assertEquals("", e.code());
    }

    @Test
    void aPlainTextBodyStartingWithANumberBecomesTheMessage() {
        DataverseException e = ErrorMapper.fromResponse(503, "503 Service Unavailable", null);

        assertEquals("503 Service Unavailable", e.getMessage());
    }

    @Test
    void aJsonBodyWithoutAnErrorObjectBecomesTheMessage() {
        DataverseException e = ErrorMapper.fromResponse(400, "{\"Message\":\"An error has occurred.\"}", null);

        assertInstanceOf(BadRequestException.class, e);
        assertEquals("{\"Message\":\"An error has occurred.\"}", e.getMessage());
    }

    @Test
    void anEmptyBodyGivesTheStatusAsMessage() {
        assertEquals("HTTP 404", ErrorMapper.fromResponse(404, "", null).getMessage());
        assertEquals("HTTP 404", ErrorMapper.fromResponse(404, null, null).getMessage());
    }

    @Test
    void anEmptyCodeIsKeptEmpty() {
        DataverseException e = ErrorMapper.fromResponse(404,
                "{\"error\":{\"code\":\"\",\"message\":\"No HTTP resource was found that matches the request URI.\"}}", null);

        assertInstanceOf(NotFoundException.class, e);
        assertEquals("", e.code());
        assertEquals("No HTTP resource was found that matches the request URI.", e.getMessage());
    }

    @Test
    void extraMembersOfTheErrorAreIgnored() {
        String body = """
                {"error":{"code":"0x80060882","message":"changed",\
                "@Microsoft.PowerApps.CDS.HelpLink":"http://go.microsoft.com/fwlink/?LinkID=398563",\
                "innererror":{"message":"changed","type":"Microsoft.Crm.CrmHttpException","stacktrace":""}}}""";

        DataverseException e = ErrorMapper.fromResponse(412, body, null);

        assertInstanceOf(VersionConflictException.class, e);
        assertEquals("changed", e.getMessage());
    }

    // ------------------------------------------------------------------------------------------------ atOperation

    @Test
    void atOperationKeepsTheTypeCodeAndMessageAndSetsTheIndex() {
        DataverseException[] failures = {
                ErrorMapper.fromResponse(412, VERSION_MISMATCH, null),
                ErrorMapper.fromResponse(412, DUPLICATE_RECORD, null),
                ErrorMapper.fromResponse(404, NOT_FOUND, null),
                ErrorMapper.fromResponse(400, BAD_PROPERTY, null),
                ErrorMapper.fromResponse(429, THROTTLED_HEX, "7"),
                ErrorMapper.fromResponse(503, SQL_ERROR, "2"),
                ErrorMapper.fromResponse(500, "{\"error\":{\"code\":\"0x80040216\",\"message\":\"x\"}}", null),
        };
        for (DataverseException e : failures) {
            DataverseException at = e.atOperation(2);

            assertEquals(e.getClass(), at.getClass());
            assertEquals(OptionalInt.of(2), at.operationIndex());
            assertEquals(e.status(), at.status());
            assertEquals(e.code(), at.code());
            assertEquals(e.getMessage(), at.getMessage());
            assertEquals(OptionalInt.empty(), e.operationIndex(), "the original is unchanged");
        }
    }

    @Test
    void atOperationKeepsTheRetryAfter() {
        ServiceProtectionException s = (ServiceProtectionException) ErrorMapper.fromResponse(429, THROTTLED_HEX, "7").atOperation(0);
        TransientException t = (TransientException) ErrorMapper.fromResponse(503, SQL_ERROR, "2").atOperation(1);

        assertEquals(Optional.of(Duration.ofSeconds(7)), s.retryAfter());
        assertEquals(Optional.of(Duration.ofSeconds(2)), t.retryAfter());
    }

    @Test
    void atOperationKeepsTheStatusAndUnknownOutcomeOfAnUnavailableAnswer() {
        TransientException at = (TransientException) ErrorMapper.fromResponse(503, COMMIT_UNKNOWN, null).atOperation(1);

        assertEquals(503, at.status());
        assertEquals("0x80040216", at.code());
        assertTrue(at.outcomeUnknown());
        assertFalse(((TransientException) ErrorMapper.fromResponse(500, SQL_ERROR, null).atOperation(1)).outcomeUnknown());
    }

    @Test
    void atOperationKeepsAnUnknownOutcome() {
        TransientException noAnswer = new TransientException(0, "", "connection reset", null, new java.io.IOException("reset"));

        TransientException at = (TransientException) noAnswer.atOperation(4);

        assertTrue(at.outcomeUnknown());
        assertEquals(OptionalInt.of(4), at.operationIndex());
    }

    // ------------------------------------------------------------------------------------------------ after a lost answer

    @Test
    void aConflictAfterALostAnswerIsOfUnknownOutcomeWithTheConflictAsCause() {
        DataverseException conflict = ErrorMapper.fromResponse(412, VERSION_MISMATCH, null).atOperation(2);

        TransientException t = assertInstanceOf(TransientException.class, ErrorMapper.afterLostAnswer(conflict));

        assertTrue(t.outcomeUnknown());
        assertEquals(412, t.status());
        assertEquals("0x80060882", t.code());
        assertEquals(OptionalInt.of(2), t.operationIndex());
        assertSame(conflict, t.getCause());
        assertTrue(t.getMessage().endsWith(conflict.getMessage()), t.getMessage());
    }

    @Test
    void aDuplicateANotFoundARollbackOrThrottlingAfterALostAnswerIsOfUnknownOutcome() {
        DataverseException[] failures = {
                ErrorMapper.fromResponse(412, DUPLICATE_RECORD, null),
                ErrorMapper.fromResponse(404, NOT_FOUND, null),
                ErrorMapper.fromResponse(500, SQL_ERROR, null),
                ErrorMapper.fromResponse(429, THROTTLED_HEX, "7"),
        };
        for (DataverseException e : failures) {
            TransientException t = assertInstanceOf(TransientException.class, ErrorMapper.afterLostAnswer(e), e.code());
            assertTrue(t.outcomeUnknown(), e.code());
            assertSame(e, t.getCause());
        }
    }

    @Test
    void aBadRequestAfterALostAnswerStaysABadRequest() {
        DataverseException bad = ErrorMapper.fromResponse(400, BAD_PROPERTY, null);

        assertSame(bad, ErrorMapper.afterLostAnswer(bad));
    }

    @Test
    void aLostAnswersFailureStaysOfUnknownOutcomeWhenAttributedToItsOperation() {
        DataverseException lost = ErrorMapper.afterLostAnswer(ErrorMapper.fromResponse(412, VERSION_MISMATCH, null));

        TransientException at = assertInstanceOf(TransientException.class, lost.atOperation(3));

        assertTrue(at.outcomeUnknown());
        assertEquals(OptionalInt.of(3), at.operationIndex());
        assertInstanceOf(VersionConflictException.class, at.getCause());
    }

    // ------------------------------------------------------------------------------------------------ isRetryable

    @Test
    void onlyThrottlingAndTransientFailuresAreRetryable() {
        assertTrue(ErrorMapper.fromResponse(429, THROTTLED_HEX, "7").isRetryable());
        assertTrue(ErrorMapper.fromResponse(400, THROTTLED_DECIMAL, null).isRetryable());
        assertTrue(ErrorMapper.fromResponse(503, "", null).isRetryable());
        assertTrue(ErrorMapper.fromResponse(502, "", null).isRetryable());
        assertTrue(ErrorMapper.fromResponse(504, "", null).isRetryable());
        assertTrue(ErrorMapper.fromResponse(503, SQL_ERROR, null).isRetryable());

        assertFalse(ErrorMapper.fromResponse(412, VERSION_MISMATCH, null).isRetryable());
        assertFalse(ErrorMapper.fromResponse(412, DUPLICATE_RECORD, null).isRetryable());
        assertFalse(ErrorMapper.fromResponse(404, NOT_FOUND, null).isRetryable());
        assertFalse(ErrorMapper.fromResponse(400, BAD_PROPERTY, null).isRetryable());
        assertFalse(ErrorMapper.fromResponse(500, "", null).isRetryable());
    }
}
