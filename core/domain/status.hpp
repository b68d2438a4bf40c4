#pragma once
// status and result<T>: errors as values for core/. No exceptions cross core's public API.
//
// Thread safety: plain values; safe to copy between threads.

#include <string>
#include <utility>
#include <variant>

namespace tribune {

// What went wrong, in terms the server can map to a response without parsing messages.
enum class error_kind {
    ok = 0,
    invalid_argument,  // the caller's input is wrong (4xx)
    not_found,         // the named event/question does not exist (404)
    conflict,          // stale version, duplicate slug (409)
    unavailable,       // temporarily cannot serve: queue full, disk full, read-only (503)
    unauthenticated,   // no credentials, or unknown/revoked/expired ones (401)
    forbidden,         // the credentials do not allow this (403)
    rate_limited,      // too many requests; retry later (429)
    internal,          // a bug or an unexpected library failure (500)
};

class status {
public:
    status() = default;
    static status ok() { return {}; }
    static status error(error_kind kind, std::string code, std::string message) {
        status s;
        s.kind_ = kind;
        s.code_ = std::move(code);
        s.message_ = std::move(message);
        return s;
    }

    bool is_ok() const { return kind_ == error_kind::ok; }
    explicit operator bool() const { return is_ok(); }
    error_kind kind() const { return kind_; }
    // A short machine-readable identifier such as "text_too_long".
    const std::string& code() const { return code_; }
    // A sentence for a human.
    const std::string& message() const { return message_; }

private:
    error_kind kind_ = error_kind::ok;
    std::string code_;
    std::string message_;
};

// The caller's input is wrong: an invalid_argument status. The one helper for core and server.
inline status invalid(std::string code, std::string message) {
    return status::error(error_kind::invalid_argument, std::move(code), std::move(message));
}

// Either a value or a non-ok status.
template <typename T>
class result {
public:
    result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
    result(status s) : v_(std::move(s)) {}     // NOLINT(google-explicit-constructor)

    bool is_ok() const { return std::holds_alternative<T>(v_); }
    explicit operator bool() const { return is_ok(); }

    // REQUIRES: is_ok()
    T& value() & { return std::get<T>(v_); }
    const T& value() const& { return std::get<T>(v_); }
    T&& value() && { return std::get<T>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    // REQUIRES: !is_ok()
    const status& error() const { return std::get<status>(v_); }

private:
    std::variant<T, status> v_;
};

}  // namespace tribune
