#pragma once
// html_text: the plain text of a Mastodon status's HTML content (issue 16). Mastodon sends a
// small, known subset of HTML: <p> paragraphs, <br> line breaks, <a> links whose visible text
// is split into <span class="invisible"> and <span class="ellipsis"> parts, mentions
// (<span class="h-card"><a ...>@<span>user</span></a></span>) and hashtags. The text keeps
// what a reader sees, with links in full:
//   paragraphs -> separated by a blank line; <br> -> a line break;
//   any tag -> removed, its text kept (so a link's hidden parts make the full URL again, a
//   mention reads "@user", a hashtag "#tag"); <script>/<style> -> dropped with their text;
//   entities (&amp; &lt; &gt; &quot; &apos; &#39; &nbsp; &#NNN; &#xHH;) -> their characters
//   (an unknown one is kept as written); spaces and tabs collapse to one; the result trimmed.
//
// Thread safety: pure functions.

#include <string>
#include <string_view>

namespace tribune {

std::string html_to_text(std::string_view html);

// True when `text` carries the hashtag `tag` (given without '#'): '#' + tag, ASCII letters
// compared without regard to case, not followed by a letter, digit or '_', and the '#' not
// preceded by one (so "a#tag" is no hashtag).
bool has_hashtag(std::string_view text, std::string_view tag);

}  // namespace tribune
