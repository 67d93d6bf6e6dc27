package org.norm4j.cli.io;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.Test;

/** A page header that declares more bytes than its codec can produce is refused before anything is allocated. */
class ParquetExpansionTest {
    @Test
    void gzipAndSnappyDeclarationsBeyondTheCodecsRatioAreRefused() {
        IOException gz = assertThrows(IOException.class,
                () -> ParquetPages.checkExpansion(CompressionCodecName.GZIP, 20, Integer.MAX_VALUE));
        assertTrue(gz.getMessage().contains("gzip page of 20 bytes declares 2147483647"), gz.getMessage());
        assertTrue(gz.getMessage().contains("at most 21664"), gz.getMessage());
        IOException sn = assertThrows(IOException.class,
                () -> ParquetPages.checkExpansion(CompressionCodecName.SNAPPY, 100, 3225));
        assertTrue(sn.getMessage().contains("at most 3224"), sn.getMessage());
    }

    @Test
    void sizesWithinTheRatioPass() {
        assertDoesNotThrow(() -> ParquetPages.checkExpansion(CompressionCodecName.GZIP, 20, 21664));
        assertDoesNotThrow(() -> ParquetPages.checkExpansion(CompressionCodecName.SNAPPY, 100, 3224));
        assertDoesNotThrow(() -> ParquetPages.checkExpansion(CompressionCodecName.ZSTD, 10, 1 << 30));
    }
}
