#ifndef HYPSIM_SEMIHOST_H
#define HYPSIM_SEMIHOST_H

#define SYS_WRITEC 0x03
#define SYS_WRITE0 0x04
#define SYS_EXIT   0x18

int  sh_call(int op, void *arg);
void sh_writec(int c);
void sh_write0(const char *s);
/* 0 -> ADP_Stopped_ApplicationExit (0x20026), else RunTimeErrorUnknown (0x20023) */
void sh_exit(int status) __attribute__((noreturn));

#endif
