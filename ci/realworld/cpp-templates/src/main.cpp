#include <cstdio>
#include <string>
#include "stack.hpp"

int main(int argc, char**) {
    Stack<int> ints;
    ints.push(3);
    ints.push(7);
    std::printf("%d\n", ints.largest());
    Stack<double> reals;
    reals.push(2.5);
    std::printf("%g\n", reals.largest());
    if (argc > 5) {
        std::printf("%g\n", reals.pop());
    }
    Stack<std::string> words;
    words.push("a");
    std::printf("%s %d\n", words.pop().c_str(), words.empty() ? 1 : 0);
    return 0;
}
