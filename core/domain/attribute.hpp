#pragma once
// The attributes the classifier scores, and their stable wire names.

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

#include "core/domain/enum_names.hpp"

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

inline constexpr enum_name_table<attribute, attribute_count> attribute_names = {{
    {attribute::toxicity, "toxicity"},
    {attribute::severe_toxicity, "severe_toxicity"},
    {attribute::insult, "insult"},
    {attribute::profanity, "profanity"},
    {attribute::threat, "threat"},
    {attribute::identity_attack, "identity_attack"},
}};

constexpr std::string_view to_string(attribute a) { return name_in(attribute_names, a, "unknown"); }

inline std::optional<attribute> attribute_from_string(std::string_view s) {
    return value_in(attribute_names, s);
}

// Scores in [0, 1], indexed by attribute.
struct scores {
    std::array<float, attribute_count> values{};
    float& operator[](attribute a) { return values[static_cast<std::size_t>(a)]; }
    float operator[](attribute a) const { return values[static_cast<std::size_t>(a)]; }
};

}  // namespace tribune
