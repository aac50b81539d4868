#pragma once
#include <vector>

template <typename T>
class Stack {
public:
    void push(const T& v) { items.push_back(v); }
    T pop() {
        T top = items.back();
        items.pop_back();
        return top;
    }
    bool empty() const { return items.empty(); }
    T largest() const {
        T best = items.front();
        for (const T& v : items) {
            if (v > best) {
                best = v;
            }
        }
        return best;
    }

private:
    std::vector<T> items;
};
