package dev.dvemu.testkit.parallel;

import dev.dvemu.testkit.Dvemu;
import dev.dvemu.testkit.DvemuTest;
import dev.dvemu.testkit.Reset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DvemuTest(reset = Reset.EACH_CLASS, args = {"--journal-size", "1004"})
public class WriterA {
    @BeforeAll
    static void allClassesHoldTheirInstance() throws Exception {
        Writers.together();
    }

    @Test
    void seesOnlyItsOwnRows(Dvemu dvemu) throws Exception {
        assertEquals(Writers.ROWS, Writers.writeAndCount(WriterA.class, dvemu));
    }
}
