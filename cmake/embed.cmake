# embed.cmake - the files of web/doc as C arrays (site_assets.c), so that
# `edict doc` writes its style sheet and script without reading anything at
# run time.  Run by CMake at build time: cmake -DDIR=... -DOUT=... -P embed.cmake
file(GLOB files RELATIVE ${DIR} ${DIR}/*)
list(SORT files)
set(body "/* Generated from web/doc by cmake/embed.cmake: do not edit. */\n#include \"site.h\"\n\n")
set(table "const SiteAsset site_assets[] = {\n")
set(i 0)
foreach(f ${files})
  file(READ ${DIR}/${f} hex HEX)
  string(LENGTH "${hex}" n)
  math(EXPR len "${n} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," arr "${hex}")
  string(APPEND body "static const unsigned char asset${i}[] = {${arr}0};\n")
  string(APPEND table "\t{\"${f}\", asset${i}, ${len}},\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND table "\t{0, 0, 0},\n};\n")
string(RANDOM LENGTH 8 tag) # a temporary file of this run's own
file(WRITE ${OUT}.${tag}.tmp "${body}\n${table}")
file(COPY_FILE ${OUT}.${tag}.tmp ${OUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUT}.${tag}.tmp)
