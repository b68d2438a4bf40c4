#include "core/text/html_text.hpp"

#include <cstdint>
#include <cstdlib>

#include <cctype>
#include <utility>

namespace tribune {
namespace {

bool word_char(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// The entity starting at html[i] == '&' appended to `out`; returns the bytes consumed (1 when
// it is not an entity: the '&' is kept as it is).
std::size_t decode_entity(std::string_view html, std::size_t i, std::string& out) {
    const std::size_t semi = html.find(';', i);
    if (semi == std::string_view::npos || semi - i > 12) {
        out += '&';
        return 1;
    }
    const std::string_view name = html.substr(i + 1, semi - i - 1);
    static constexpr std::pair<std::string_view, std::string_view> named[] = {
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}};
    for (const auto& [n, v] : named)
        if (name == n) {
            // A no-break space collapses with the spaces around it, like a space.
            if (n != "nbsp" || (!out.empty() && out.back() != ' ' && out.back() != '\n')) out += v;
            return semi - i + 1;
        }
    if (name.size() >= 2 && name[0] == '#') {
        const bool hex = name[1] == 'x' || name[1] == 'X';
        const std::string digits(name.substr(hex ? 2 : 1));
        char* end = nullptr;
        const unsigned long cp = std::strtoul(digits.c_str(), &end, hex ? 16 : 10);
        if (!digits.empty() && end != nullptr && *end == '\0') {
            append_utf8(out, static_cast<std::uint32_t>(cp > 0x10FFFF ? 0xFFFD : cp));
            return semi - i + 1;
        }
    }
    out += '&';
    return 1;
}

// Appends a line break, keeping at most `max_breaks` in a row and none at the start.
void line_break(std::string& out, int max_breaks) {
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (out.empty()) return;
    int trailing = 0;
    for (auto it = out.rbegin(); it != out.rend() && *it == '\n'; ++it) ++trailing;
    if (trailing < max_breaks) out += '\n';
}

}  // namespace

std::string html_to_text(std::string_view html) {
    std::string out;
    out.reserve(html.size());
    std::size_t i = 0;
    while (i < html.size()) {
        const char c = html[i];
        if (c == '<') {
            const std::size_t close = html.find('>', i);
            if (close == std::string_view::npos) break;  // a cut-off tag: dropped
            std::string_view tag = html.substr(i + 1, close - i - 1);
            const bool end_tag = !tag.empty() && tag[0] == '/';
            if (end_tag) tag.remove_prefix(1);
            const std::size_t name_end = tag.find_first_of(" \t\r\n/");
            const std::string_view name = tag.substr(0, name_end);
            i = close + 1;
            if (iequals(name, "br")) {
                line_break(out, 99);
            } else if (iequals(name, "p")) {
                if (end_tag) {
                    line_break(out, 1);
                    line_break(out, 2);
                }
            } else if (!end_tag && (iequals(name, "script") || iequals(name, "style"))) {
                const std::string closing = "</" + std::string(name);
                std::size_t at = i;
                while (at < html.size() && !iequals(html.substr(at, closing.size()), closing)) ++at;
                const std::size_t after = html.find('>', at);
                i = after == std::string_view::npos ? html.size() : after + 1;
            }
            continue;
        }
        if (c == '&') {
            i += decode_entity(html, i, out);
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (!out.empty() && out.back() != ' ' && out.back() != '\n') out += ' ';
            ++i;
            continue;
        }
        out += c;
        ++i;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
    return out;
}

bool has_hashtag(std::string_view text, std::string_view tag) {
    if (tag.empty()) return false;
    for (std::size_t at = text.find('#'); at != std::string_view::npos; at = text.find('#', at + 1)) {
        if (at > 0 && word_char(static_cast<unsigned char>(text[at - 1]))) continue;
        const std::size_t end = at + 1 + tag.size();
        if (end > text.size() || !iequals(text.substr(at + 1, tag.size()), tag)) continue;
        if (end < text.size() && word_char(static_cast<unsigned char>(text[end]))) continue;
        return true;
    }
    return false;
}

}  // namespace tribune
