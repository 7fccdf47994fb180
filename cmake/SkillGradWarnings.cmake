# Warnings for the project's own targets (not for third-party headers).
function(sg_set_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align
    -Woverloaded-virtual -Wimplicit-fallthrough -Wno-missing-field-initializers)
  if(SG_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
