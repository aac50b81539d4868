#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unity/examples/unity_config.h"
#include "unity/src/unity.h"
#include "common.h"

static void format_size_should_format_small_sizes(void)
{
    char buffer[32];
    TEST_ASSERT_EQUAL_INT(5, cJSON_FormatSize(512, false, buffer, sizeof(buffer)));
    TEST_ASSERT_EQUAL_STRING("512 B", buffer);
    TEST_ASSERT_EQUAL_INT(6, cJSON_FormatSize(1500, false, buffer, sizeof(buffer)));
    TEST_ASSERT_EQUAL_STRING("1.5 kB", buffer);
}

int CJSON_CDECL main(void)
{
    UNITY_BEGIN();
    RUN_TEST(format_size_should_format_small_sizes);
    return UNITY_END();
}
