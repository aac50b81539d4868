#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unity/examples/unity_config.h"
#include "unity/src/unity.h"
#include "common.h"

static void format_size_should_format_sizes(void)
{
    char buffer[32];
    TEST_ASSERT_EQUAL_INT(5, cJSON_FormatSize(512, false, buffer, sizeof(buffer)));
    TEST_ASSERT_EQUAL_STRING("512 B", buffer);
    TEST_ASSERT_EQUAL_INT(6, cJSON_FormatSize(1500, false, buffer, sizeof(buffer)));
    TEST_ASSERT_EQUAL_STRING("1.5 kB", buffer);
    TEST_ASSERT_EQUAL_INT(7, cJSON_FormatSize(1536, true, buffer, sizeof(buffer)));
    TEST_ASSERT_EQUAL_STRING("1.5 KiB", buffer);
    TEST_ASSERT_EQUAL_INT(-1, cJSON_FormatSize(-1, false, buffer, sizeof(buffer)));
    TEST_ASSERT_EQUAL_INT(-1, cJSON_FormatSize(1e15, false, buffer, 4));
}

static void parse_size_should_read_back_sizes(void)
{
    TEST_ASSERT_EQUAL_DOUBLE(512.0, cJSON_ParseSize("512 B"));
    TEST_ASSERT_EQUAL_DOUBLE(1500.0, cJSON_ParseSize("1.5 kB"));
    TEST_ASSERT_EQUAL_DOUBLE(1536.0, cJSON_ParseSize("1.5 KiB"));
    TEST_ASSERT_EQUAL_DOUBLE(-1.0, cJSON_ParseSize("3 parsecs"));
    TEST_ASSERT_EQUAL_DOUBLE(-1.0, cJSON_ParseSize("12"));
    TEST_ASSERT_EQUAL_DOUBLE(-1.0, cJSON_ParseSize(NULL));
}

int CJSON_CDECL main(void)
{
    UNITY_BEGIN();
    RUN_TEST(format_size_should_format_sizes);
    RUN_TEST(parse_size_should_read_back_sizes);
    return UNITY_END();
}
