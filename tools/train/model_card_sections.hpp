#pragma once
// model_card_sections: the sections of the model card (model_card.cpp puts them in order).
// Each writes Markdown to `card` and may append headline figures to `summary`.

#include <ostream>
#include <string>

#include "tools/train/model_card.hpp"

namespace tribune::train {

// model_card.cpp
void write_parameters(std::ostream& card, const card_inputs& in);
void write_conv_part(std::ostream& card, const card_inputs& in);
std::string conv_description(const card_inputs& in);
void write_thresholds(std::ostream& card, const card_inputs& in);
void write_validation_metrics(std::ostream& card, const card_inputs& in, std::string& summary);

// model_card_slices.cpp
void write_per_source(std::ostream& card, const card_inputs& in);
void write_slices(std::ostream& card, const card_inputs& in, std::string& summary);
void write_functional(std::ostream& card, const card_inputs& in, std::string& summary);
void write_benign_questions(std::ostream& card, const card_inputs& in, std::string& summary);

// model_card_compare.cpp
void write_comparable(std::ostream& card, const card_inputs& in, std::string& summary);
void write_language_detection(std::ostream& card, const card_inputs& in);

// Helpers shared by the sections.
std::string attr_name(std::size_t h);
const head_thresholds& thresholds_of(const card_inputs& in, attribute a);

}  // namespace tribune::train
