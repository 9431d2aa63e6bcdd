# Install rules of docs/dist: the FreeBSD rc.d script, the systemd unit template, and bash
# and zsh completion. Each destination is a cache variable; set it to OFF to skip the file.
# A relative destination is under the install prefix (and follows `cmake --install --prefix`).

# jnet_pkg_dir(VAR MODULE PCVAR FALLBACK DOC): VAR is the cache default from pkg-config
# (MODULE's PCVAR, with its prefix variables set to our install prefix, so that a /usr/local
# install stays under /usr/local), else FALLBACK. Made relative when under the prefix.
function(jnet_pkg_dir var module pcvar fallback doc)
  set(dir "")
  if(PKG_CONFIG_EXECUTABLE)
    execute_process(COMMAND ${PKG_CONFIG_EXECUTABLE}
        --define-variable=prefix=${CMAKE_INSTALL_PREFIX}
        --define-variable=rootprefix=${CMAKE_INSTALL_PREFIX}
        --define-variable=root_prefix=${CMAKE_INSTALL_PREFIX}
        --variable=${pcvar} ${module}
      OUTPUT_VARIABLE dir OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE r)
    if(NOT r EQUAL 0)
      set(dir "")
    endif()
  endif()
  if(dir STREQUAL "")
    set(dir ${fallback})
  elseif(dir MATCHES "^${CMAKE_INSTALL_PREFIX}/(.+)$")
    set(dir ${CMAKE_MATCH_1})
  endif()
  set(${var} ${dir} CACHE STRING "${doc} (OFF: not installed)")
endfunction()

# jnet_install_configured(SRC DESTINATION NAME [install(FILES) options]): SRC with %%PREFIX%%
# and %%SBINDIR%% replaced by the prefix and sbin directory of the install (at install
# time, so `cmake --install --prefix` is honoured), installed as DESTINATION/NAME.
function(jnet_install_configured src dest name)
  set(gen ${PROJECT_BINARY_DIR}/dist/${name})
  if(IS_ABSOLUTE "${CMAKE_INSTALL_SBINDIR}")
    set(sbin "${CMAKE_INSTALL_SBINDIR}")
  else()
    set(sbin "\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_SBINDIR}")
  endif()
  install(CODE "
    file(READ \"${src}\" _t)
    string(REPLACE \"%%PREFIX%%\" \"\${CMAKE_INSTALL_PREFIX}\" _t \"\${_t}\")
    string(REPLACE \"%%SBINDIR%%\" \"${sbin}\" _t \"\${_t}\")
    file(WRITE \"${gen}\" \"\${_t}\")")
  install(FILES ${gen} DESTINATION ${dest} ${ARGN})
endfunction()

set(_dist ${PROJECT_SOURCE_DIR}/docs/dist)

if(JNET_FREEBSD)
  # The port installs it itself (USE_RC_SUBR) and sets this OFF.
  set(_rcd ${CMAKE_INSTALL_SYSCONFDIR}/rc.d)
else()
  set(_rcd OFF)
endif()
set(JNET_RCDIR ${_rcd} CACHE STRING "rc.d directory of the FreeBSD rc.d script (OFF: not installed)")
if(JNET_RCDIR)
  jnet_install_configured(${_dist}/freebsd-port/net/jnet/files/jnet.in ${JNET_RCDIR} jnet
    PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
endif()

if(JNET_LINUX)
  jnet_pkg_dir(JNET_SYSTEMD_UNITDIR systemd systemdsystemunitdir lib/systemd/system
    "systemd system unit directory of jnet-lab@.service")
  if(JNET_SYSTEMD_UNITDIR)
    jnet_install_configured(${_dist}/systemd/jnet-lab@.service.in ${JNET_SYSTEMD_UNITDIR}
      jnet-lab@.service)
  endif()
endif()

jnet_pkg_dir(JNET_BASH_COMPLETIONDIR bash-completion completionsdir
  ${CMAKE_INSTALL_DATADIR}/bash-completion/completions "bash completion directory")
if(JNET_BASH_COMPLETIONDIR)
  install(FILES ${_dist}/completion/jnet.bash DESTINATION ${JNET_BASH_COMPLETIONDIR} RENAME jnet)
endif()
set(JNET_ZSH_COMPLETIONDIR ${CMAKE_INSTALL_DATADIR}/zsh/site-functions
  CACHE STRING "zsh function directory of _jnet (OFF: not installed)")
if(JNET_ZSH_COMPLETIONDIR)
  install(FILES ${_dist}/completion/_jnet DESTINATION ${JNET_ZSH_COMPLETIONDIR})
endif()
