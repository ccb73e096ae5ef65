// The little XML the S3 API speaks: answers written as text, and the two request bodies
// it reads (CompleteMultipartUpload, Delete) scanned for their elements.
#pragma once

#include <string>
#include <vector>

#include "common/http/request.h"

namespace gureum::object::proxy {

std::string XmlEscape(const std::string& s);
std::string XmlUnescape(const std::string& s);
// "<?xml ...?>\n<root xmlns=...>" + inner + "</root>"
std::string XmlDocument(const std::string& root, const std::string& inner);
// "<name>escaped value</name>"
std::string XmlElement(const std::string& name, const std::string& value);

// The text of every <tag>...</tag> in `xml`, in order (unescaped; nested tags kept as text).
std::vector<std::string> XmlElements(const std::string& xml, const std::string& tag);

// An S3 error answer: <Error><Code>..</Code><Message>..</Message><Resource>..</Resource>
// <RequestId>..</RequestId></Error> (no body for HEAD).
void S3ErrorAnswer(http::Response& res, int status, const std::string& code,
                   const std::string& message, const std::string& resource, bool head);

}  // namespace gureum::object::proxy
