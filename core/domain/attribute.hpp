#pragma once
// The attributes the classifier scores, and their stable wire names.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace tribune {

enum class attribute : std::size_t {
    toxicity = 0,
    severe_toxicity,
    insult,
    profanity,
    threat,
    identity_attack,
};

inline constexpr std::size_t attribute_count = 6;

inline constexpr std::array<attribute, attribute_count> all_attributes = {
    attribute::toxicity, attribute::insult,          attribute::profanity,
    attribute::threat,   attribute::identity_attack, attribute::severe_toxicity,
};

constexpr std::string_view to_string(attribute a) {
    switch (a) {
        case attribute::toxicity: return "toxicity";
        case attribute::severe_toxicity: return "severe_toxicity";
        case attribute::insult: return "insult";
        case attribute::profanity: return "profanity";
        case attribute::threat: return "threat";
        case attribute::identity_attack: return "identity_attack";
    }
    return "unknown";
}

inline std::optional<attribute> attribute_from_string(std::string_view s) {
    for (attribute a : all_attributes)
        if (to_string(a) == s) return a;
    return std::nullopt;
}

// Scores in [0, 1], indexed by attribute.
struct scores {
    std::array<float, attribute_count> values{};
    float& operator[](attribute a) { return values[static_cast<std::size_t>(a)]; }
    float operator[](attribute a) const { return values[static_cast<std::size_t>(a)]; }
};

}  // namespace tribune
